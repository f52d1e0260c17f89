/** AAC: mean |r| over pairs i < j of a correlation matrix (k×k, float64), and per dim vs the others. */
export function averageAbsoluteCorrelation(corr: Float64Array, k: number): { value: number; perDim: Float64Array } {
  const perDim = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++) {
      const a = Math.abs(corr[i * k + j]);
      total += a;
      perDim[i] += a;
      perDim[j] += a;
    }
  }
  if (k > 1) for (let i = 0; i < k; i++) perDim[i] /= k - 1;
  return { value: k > 1 ? total / ((k * (k - 1)) / 2) : NaN, perDim };
}
