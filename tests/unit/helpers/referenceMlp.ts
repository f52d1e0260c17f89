// A plain float64 MLP, written out by hand: the ground truth the batched tfjs heads are checked against
// (tests/unit/measures/nlr.test.ts on WASM, tests/unit/compute/nodeWebGpu.test.ts on WebGPU).
import type { Matrix } from '../../../src/core/io/types.ts';
import { headRandom } from '../../../src/core/measures/mlpRandom.ts';
import type { MlpSettings } from '../../../src/core/measures/types.ts';
import { makeMatrix } from './synthetic.ts';

export interface RefLayer {
  fanIn: number;
  fanOut: number;
  w: Float64Array; // fanOut × fanIn, row-major (PyTorch layout)
  b: Float64Array;
}

/** The documented init: per head stream headRandom(seed, t); weight then bias per layer; U(±1/√fanIn) rounded to float32. */
export function refInit(seed: number, t: number, d: number, hidden: number[]): RefLayer[] {
  const random = headRandom(seed, t);
  const sizes = [d - 1, ...hidden, 1];
  const layers: RefLayer[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fanIn = sizes[l];
    const fanOut = sizes[l + 1];
    const bound = 1 / Math.sqrt(fanIn);
    const draw = () => Math.fround(bound * (2 * random() - 1));
    const w = Float64Array.from({ length: fanIn * fanOut }, draw);
    const b = Float64Array.from({ length: fanOut }, draw);
    layers.push({ fanIn, fanOut, w, b });
  }
  return layers;
}

export function inputRow(m: Matrix, r: number, t: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < m.cols; j++) if (j !== t) out.push(m.data[r * m.cols + j]);
  return out;
}

/** Activations of every layer (input first, prediction last); ReLU on all but the last. */
export function refForward(layers: RefLayer[], x: number[]): number[][] {
  const acts = [x];
  layers.forEach((layer, l) => {
    const a = acts[acts.length - 1];
    const z = new Array<number>(layer.fanOut);
    for (let o = 0; o < layer.fanOut; o++) {
      let s = layer.b[o];
      for (let i = 0; i < layer.fanIn; i++) s += layer.w[o * layer.fanIn + i] * a[i];
      z[o] = l + 1 < layers.length ? Math.max(0, s) : s;
    }
    acts.push(z);
  });
  return acts;
}

/** Trains one MLP for target t on rows in order, batches of `batchSize` (last one partial), MSE per batch. */
export function refTrain(train: Matrix, t: number, s: MlpSettings): RefLayer[] {
  const layers = refInit(s.seed, t, train.cols, s.hidden);
  const m = layers.map((l) => ({ w: new Float64Array(l.w.length), b: new Float64Array(l.b.length) }));
  const v = layers.map((l) => ({ w: new Float64Array(l.w.length), b: new Float64Array(l.b.length) }));
  let step = 0;
  for (let epoch = 0; epoch < s.epochs; epoch++) {
    for (let start = 0; start < train.rows; start += s.batchSize) {
      const rows = Math.min(s.batchSize, train.rows - start);
      const grads = layers.map((l) => ({ w: new Float64Array(l.w.length), b: new Float64Array(l.b.length) }));
      for (let r = start; r < start + rows; r++) {
        const acts = refForward(layers, inputRow(train, r, t));
        let delta = [(2 * (acts[acts.length - 1][0] - train.data[r * train.cols + t])) / rows];
        for (let l = layers.length - 1; l >= 0; l--) {
          const layer = layers[l];
          const input = acts[l];
          const back = new Array<number>(layer.fanIn).fill(0);
          for (let o = 0; o < layer.fanOut; o++) {
            grads[l].b[o] += delta[o];
            for (let i = 0; i < layer.fanIn; i++) {
              grads[l].w[o * layer.fanIn + i] += delta[o] * input[i];
              back[i] += delta[o] * layer.w[o * layer.fanIn + i];
            }
          }
          delta = back.map((g, i) => (input[i] > 0 ? g : 0)); // ReLU'(z) = [z > 0] = [a > 0]
        }
      }
      step++;
      layers.forEach((layer, l) => {
        for (const key of ['w', 'b'] as const) {
          const p = layer[key];
          const g = grads[l][key];
          for (let i = 0; i < p.length; i++) {
            if (s.optimizer === 'sgd') {
              p[i] -= s.learningRate * g[i];
            } else {
              m[l][key][i] = 0.9 * m[l][key][i] + 0.1 * g[i];
              v[l][key][i] = 0.999 * v[l][key][i] + 0.001 * g[i] * g[i];
              const denominator = Math.sqrt(v[l][key][i]) / Math.sqrt(1 - 0.999 ** step) + 1e-7;
              p[i] -= (s.learningRate / (1 - 0.9 ** step)) * (m[l][key][i] / denominator);
            }
          }
        }
      });
    }
  }
  return layers;
}

export function refPredict(layers: RefLayer[], m: Matrix, t: number): number[] {
  return Array.from({ length: m.rows }, (_, r) => refForward(layers, inputRow(m, r, t)).at(-1)![0]);
}

/** sklearn's r2_score. */
export function r2(pred: number[], m: Matrix, t: number): number {
  const y = Array.from({ length: m.rows }, (_, r) => m.data[r * m.cols + t]);
  const mean = y.reduce((a, b) => a + b, 0) / y.length;
  const ssRes = y.reduce((s, yi, i) => s + (pred[i] - yi) ** 2, 0);
  const ssTot = y.reduce((s, yi) => s + (yi - mean) ** 2, 0);
  return 1 - ssRes / ssTot;
}

// ------------------------------------------------------------------ data

/** Standardises each column with its own mean and population std. */
export function standardise(m: Matrix): Matrix {
  const out = new Float32Array(m.data.length);
  for (let j = 0; j < m.cols; j++) {
    let mean = 0;
    for (let r = 0; r < m.rows; r++) mean += m.data[r * m.cols + j];
    mean /= m.rows;
    let v = 0;
    for (let r = 0; r < m.rows; r++) v += (m.data[r * m.cols + j] - mean) ** 2;
    const sd = Math.sqrt(v / m.rows);
    for (let r = 0; r < m.rows; r++) out[r * m.cols + j] = (m.data[r * m.cols + j] - mean) / sd;
  }
  return { rows: m.rows, cols: m.cols, data: out };
}

/** 6 dims with non-linear links: x4 ≈ x0·x1, x5 ≈ sin(2·x2) + x3/2. */
export function splits(trainRows: number, testRows: number, seed: number): { train: Matrix; test: Matrix } {
  const fill = (z: number[], normal: () => number) => [z[0], z[1], z[2], z[3], z[0] * z[1] + 0.3 * normal(), Math.sin(2 * z[2]) + 0.5 * z[3] + 0.3 * normal()];
  return {
    train: standardise(makeMatrix(trainRows, 6, seed, fill)),
    test: standardise(makeMatrix(testRows, 6, seed + 1, fill)),
  };
}
