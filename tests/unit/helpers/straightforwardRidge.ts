/**
 * An independent, deliberately plain float64 implementation of the authors' LR protocol, used only
 * as a test oracle: for each target dim and each α, leave-one-out by actually refitting a ridge
 * with an unpenalised intercept n times (no hat-matrix shortcut), pick the α with the lowest LOO
 * error (RidgeCV), refit on the whole train split, score R² on the held-out split.
 */
export function standardiseColumns(rows: number[][]): number[][] {
  const n = rows.length;
  const d = rows[0].length;
  const out = rows.map((r) => r.slice());
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (const r of rows) m += r[j];
    m /= n;
    let v = 0;
    for (const r of rows) v += (r[j] - m) ** 2;
    const sd = Math.sqrt(v / n);
    for (const r of out) r[j] = (r[j] - m) / sd;
  }
  return out;
}

function solve(a: number[][], b: number[]): number[] {
  // Gaussian elimination with partial pivoting
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = c + 1; r < n; r++) {
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  const x = new Array(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let k = r + 1; k < n; k++) s -= m[r][k] * x[k];
    x[r] = s / m[r][r];
  }
  return x;
}

/** Ridge with intercept: minimise Σ(y − b − Xw)² + α‖w‖². */
export function fitRidge(x: number[][], y: number[], alpha: number): { w: number[]; b: number } {
  const n = x.length;
  const p = x[0].length;
  const xm = Array.from({ length: p }, (_, j) => x.reduce((s, r) => s + r[j], 0) / n);
  const ym = y.reduce((s, v) => s + v, 0) / n;
  const a = Array.from({ length: p }, (_, i) =>
    Array.from({ length: p }, (_, j) => x.reduce((s, r) => s + (r[i] - xm[i]) * (r[j] - xm[j]), 0) + (i === j ? alpha : 0)),
  );
  const rhs = Array.from({ length: p }, (_, i) => x.reduce((s, r, k) => s + (r[i] - xm[i]) * (y[k] - ym), 0));
  const w = solve(a, rhs);
  return { w, b: ym - w.reduce((s, wi, i) => s + wi * xm[i], 0) };
}

const predict = (m: { w: number[]; b: number }, row: number[]) => m.b + m.w.reduce((s, wi, i) => s + wi * row[i], 0);

export function straightforwardHeldOutRidgeR2(train: number[][], test: number[][], alphas: number[]): { r2: number[]; alpha: number[] } {
  const ztr = standardiseColumns(train);
  const zte = standardiseColumns(test);
  const d = ztr[0].length;
  const r2: number[] = [];
  const chosen: number[] = [];
  const without = (row: number[], i: number) => row.filter((_, j) => j !== i);
  for (let i = 0; i < d; i++) {
    const x = ztr.map((r) => without(r, i));
    const y = ztr.map((r) => r[i]);
    let bestAlpha = alphas[0];
    let bestLoo = Infinity;
    for (const alpha of alphas) {
      let loo = 0;
      for (let k = 0; k < x.length; k++) {
        const m = fitRidge(x.filter((_, r) => r !== k), y.filter((_, r) => r !== k), alpha);
        loo += (y[k] - predict(m, x[k])) ** 2;
      }
      if (loo < bestLoo) {
        bestLoo = loo;
        bestAlpha = alpha;
      }
    }
    const m = fitRidge(x, y, bestAlpha);
    const yte = zte.map((r) => r[i]);
    const yMean = yte.reduce((s, v) => s + v, 0) / yte.length;
    const ssRes = zte.reduce((s, r) => s + (r[i] - predict(m, without(r, i))) ** 2, 0);
    const ssTot = yte.reduce((s, v) => s + (v - yMean) ** 2, 0);
    r2.push(1 - ssRes / ssTot);
    chosen.push(bestAlpha);
  }
  return { r2, alpha: chosen };
}

/** Plain Pearson AAC over columns. */
export function straightforwardAac(rows: number[][]): number {
  const z = standardiseColumns(rows);
  const d = z[0].length;
  let total = 0;
  let pairs = 0;
  for (let i = 0; i < d; i++)
    for (let j = i + 1; j < d; j++) {
      total += Math.abs(z.reduce((s, r) => s + r[i] * r[j], 0) / z.length);
      pairs++;
    }
  return total / pairs;
}
