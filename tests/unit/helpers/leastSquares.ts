/** Weighted least squares of y on x (weights w) by the normal equations: [intercept, slope]. A reference for tests. */
export function wls(x: number[], y: number[], w: number[]): [number, number] {
  let s = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  x.forEach((xi, i) => {
    s += w[i]; sx += w[i] * xi; sy += w[i] * y[i]; sxx += w[i] * xi * xi; sxy += w[i] * xi * y[i];
  });
  const slope = (s * sxy - sx * sy) / (s * sxx - sx * sx);
  return [(sy - slope * sx) / s, slope];
}
