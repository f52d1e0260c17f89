/**
 * NLR heads against ground truth: an independent, straightforward float64 MLP (plain loops, manual
 * backprop, one target at a time, the documented init stream and row-order batches) must give the
 * same predictions and held-out R² as the batched, masked heads.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { selectNodeBackend } from '../../../src/node/backend.ts';
import { CancelledError, isRedundancyLabError } from '../../../src/core/errors.ts';
import { heldOutMlpR2 } from '../../../src/core/measures/nlr.ts';
import { headsPerBatchFor } from '../../../src/core/measures/mlpHeadsPerBatch.ts';
import {
  ADAM_BETA1,
  ADAM_BETA2,
  ADAM_EPSILON,
  createHeadGroup,
  disposeHeadGroup,
  predictHeads,
  rowBlockTensor,
  targetBlockTensor,
  trainStep,
} from '../../../src/core/measures/mlpHeads.ts';
import type { MlpSettings } from '../../../src/core/measures/types.ts';

import { refPredict, refTrain, r2, splits } from '../helpers/referenceMlp.ts';

const SGD: MlpSettings = { hidden: [12, 7], epochs: 5, learningRate: 0.05, batchSize: 64, optimizer: 'sgd', seed: 11 };
const ADAM: MlpSettings = { hidden: [10, 6, 4], epochs: 3, learningRate: 0.01, batchSize: 50, optimizer: 'adam', seed: 5 };

beforeAll(async () => {
  await selectNodeBackend('wasm');
});

describe('batched heads = one plain float64 MLP per target', () => {
  const { train, test } = splits(300, 100, 1); // 300 rows, batch 64: four full batches and a partial one of 44

  it('uses the documented Adam constants', () => {
    expect([ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON]).toEqual([0.9, 0.999, 1e-7]);
  });

  for (const settings of [SGD, ADAM]) {
    it(`${settings.optimizer}, hidden [${settings.hidden}]: same held-out R² per head, whatever the grouping`, async () => {
      const targets = [0, 3, 4, 5];
      const expected = targets.map((t) => r2(refPredict(refTrain(train, t, settings), test, t), test, t));
      // the reference must have learnt something, or the comparison proves little
      expect(Math.max(...expected)).toBeGreaterThan(0.1);
      for (const headsPerBatch of [4, 3, 1]) {
        const result = await heldOutMlpR2(train, test, targets, settings, { headsPerBatch });
        expect(result.headsPerBatch).toBe(headsPerBatch);
        result.heldOutR2.forEach((got, k) => expect(Math.abs(got - expected[k])).toBeLessThan(1e-6)); // seen: ~2e-8
      }
    });
  }

  it('predictions of a trained group match the reference MLP row by row', async () => {
    const targets = [5, 1, 4];
    const group = createHeadGroup(train.cols, targets, SGD.hidden, SGD.seed, 'sgd');
    const x = rowBlockTensor(train, 0, train.rows);
    const xT = tf.transpose(x) as tf.Tensor2D;
    const xTest = rowBlockTensor(test, 0, test.rows);
    try {
      for (let epoch = 0; epoch < SGD.epochs; epoch++) {
        for (let start = 0; start < train.rows; start += SGD.batchSize) {
          const rows = Math.min(SGD.batchSize, train.rows - start);
          const bx = rowBlockTensor(train, start, rows);
          const batch = { x: bx, xT: tf.transpose(bx) as tf.Tensor2D, y: targetBlockTensor(train, targets, start, rows) };
          trainStep(group, batch, SGD.learningRate).dispose();
          tf.dispose([batch.x, batch.xT, batch.y]);
        }
      }
      const pred = await predictHeads(group, xTest).array();
      targets.forEach((t, k) => {
        const expected = refPredict(refTrain(train, t, SGD), test, t);
        const worst = Math.max(...expected.map((e, r) => Math.abs(e - pred[k][r])));
        expect(worst).toBeLessThan(1e-4);
      });
    } finally {
      disposeHeadGroup(group);
      tf.dispose([x, xT, xTest]);
    }
  });
});

describe('masking: head t never sees column t', () => {
  const { train, test } = splits(200, 80, 2);

  it("changing the target column in the input leaves that head's predictions unchanged", async () => {
    const targets = [4, 2];
    const group = createHeadGroup(train.cols, targets, [16, 8], 3, 'adam');
    const altered = new Float32Array(test.data);
    for (let r = 0; r < test.rows; r++) altered[r * test.cols + 4] = 100 * Math.sin(r);
    const tensors: tf.Tensor[] = [];
    try {
      const x = rowBlockTensor(train, 0, train.rows);
      const batch = { x, xT: tf.transpose(x) as tf.Tensor2D, y: targetBlockTensor(train, targets, 0, train.rows) };
      tensors.push(batch.x, batch.xT, batch.y);
      for (let i = 0; i < 30; i++) trainStep(group, batch, 0.01).dispose();
      const original = rowBlockTensor(test, 0, test.rows);
      const changed = rowBlockTensor({ ...test, data: altered }, 0, test.rows);
      tensors.push(original, changed);
      const [a, b] = [await predictHeads(group, original).array(), await predictHeads(group, changed).array()];
      expect(b[0]).toEqual(a[0]); // head for column 4: bit-identical
      expect(Math.max(...a[1].map((p, r) => Math.abs(p - b[1][r])))).toBeGreaterThan(1e-3); // column 4 is an input of the other head
      // and the masked first-layer weights are still exactly zero after 30 Adam steps
      const w1 = (await group.params[0].array()) as number[][]; // d × (H·h1)
      expect(w1[4].slice(0, 16).every((w) => w === 0)).toBe(true);
      expect(w1[2].slice(16, 32).every((w) => w === 0)).toBe(true);
      expect(w1[4].slice(16, 32).some((w) => w !== 0)).toBe(true);
    } finally {
      disposeHeadGroup(group);
      tf.dispose(tensors);
    }
  });
});

describe('heldOutMlpR2 bookkeeping', () => {
  const { train, test } = splits(150, 60, 3);
  const quick: MlpSettings = { hidden: [8, 4], epochs: 4, learningRate: 0.01, batchSize: 32, optimizer: 'sgd', seed: 0 };

  it('frees every tensor, reports the training read-out, FLOPs and progress', async () => {
    const before = tf.memory().numTensors;
    const events: { headsDone: number; epoch: number; firstHead: number; lastHead: number }[] = [];
    const result = await heldOutMlpR2(train, test, [0, 1, 2, 3, 4, 5], quick, { headsPerBatch: 4, onProgress: (p) => events.push(p) });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.trainingState).toHaveLength(6);
    expect(result.scoredEpoch).toEqual([4, 4, 4, 4, 4, 4]); // no early stopping: the last epoch is scored
    expect(result.monitor).toBe('held-out');
    expect(result.heldOutR2.every(Number.isFinite)).toBe(true);
    // 6 heads × 4 epochs × 150 rows of 2·(5·8 … ) — just check the order of magnitude
    const perHeadRow = 2 * (2 * 6 * 8 + 3 * 8 * 4 + 2.5 * 4);
    // training, plus a forward pass over the held-out rows after every epoch (the learning curve) and at the end
    expect(result.gflop).toBeCloseTo((6 * 4 * 150 * perHeadRow + 5 * 6 * 60 * 2 * (6 * 8 + 8 * 4 + 4)) / 1e9, 12);
    expect(events.map((e) => `${e.headsDone}:${e.firstHead}-${e.lastHead}@${e.epoch}`)).toEqual([
      '0:0-3@1', '0:0-3@2', '0:0-3@3', '0:0-3@4', '4:4-5@1', '4:4-5@2', '4:4-5@3', '4:4-5@4',
    ]);
  });

  it('chooses heads per batch by backend, never by a timing: identical numbers on every run', async () => {
    expect(headsPerBatchFor('wasm', 64)).toBe(1);
    expect(headsPerBatchFor('cpu', 64)).toBe(1);
    expect(headsPerBatchFor('webgpu', 64)).toBe(64);
    expect(headsPerBatchFor('webgl', 7)).toBe(7);
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await heldOutMlpR2(train, test, [1, 4, 5], quick));
    const one = await heldOutMlpR2(train, test, [1, 4, 5], quick, { headsPerBatch: 1 });
    expect(runs[0].headsPerBatch).toBe(1);
    for (const run of runs) expect(Array.from(run.heldOutR2)).toEqual(Array.from(runs[0].heldOutR2)); // bit for bit
    expect(Array.from(one.heldOutR2)).toEqual(Array.from(runs[0].heldOutR2));
    // another grouping (a GPU's) changes only the float32 summation order: within 1e-3 per dim
    const grouped = await heldOutMlpR2(train, test, [1, 4, 5], quick, { headsPerBatch: 3 });
    grouped.heldOutR2.forEach((r, k) => expect(Math.abs(r - one.heldOutR2[k])).toBeLessThan(1e-3));
  });

  it('every head group has the same tensor shapes (the last one padded), so GPU buffer pools stay flat; padding changes no result', async () => {
    const shapes: number[] = [];
    const padded = await heldOutMlpR2(train, test, [0, 1, 2, 3, 4], quick, { headsPerBatch: 2, onGroupShape: (h) => shapes.push(h) });
    expect(shapes).toEqual([2, 2, 2]); // 5 heads in groups of 2: the last group holds one real head and one copy
    expect(padded.heldOutR2).toHaveLength(5);
    const one = await heldOutMlpR2(train, test, [0, 1, 2, 3, 4], quick, { headsPerBatch: 1 });
    padded.heldOutR2.forEach((r, k) => expect(Math.abs(r - one.heldOutR2[k])).toBeLessThan(1e-3));
    const before = tf.memory().numTensors;
    await heldOutMlpR2(train, test, [0, 1, 2, 3, 4], quick, { headsPerBatch: 2 });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('an aborted signal stops training with CancelledError and frees every tensor', async () => {
    const before = tf.memory().numTensors;
    const already = new AbortController();
    already.abort();
    await expect(heldOutMlpR2(train, test, [0, 1], quick, { signal: already.signal })).rejects.toBeInstanceOf(CancelledError);
    const controller = new AbortController();
    let epochsSeen = 0;
    const running = heldOutMlpR2(train, test, [0, 1, 2], { ...quick, epochs: 50 }, {
      signal: controller.signal,
      headsPerBatch: 1,
      onProgress: () => {
        epochsSeen++;
        if (epochsSeen === 2) controller.abort();
      },
    });
    await expect(running).rejects.toBeInstanceOf(CancelledError);
    expect(epochsSeen).toBe(2);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad settings and targets with a researcher-readable error', async () => {
    const cases: [Partial<MlpSettings>, number[], string][] = [
      [{ hidden: [] }, [0], 'bad-option'],
      [{ epochs: 0 }, [0], 'bad-option'],
      [{ learningRate: -1 }, [0], 'bad-option'],
      [{ batchSize: 2.5 }, [0], 'bad-option'],
      [{}, [6], 'bad-option'],
    ];
    for (const [patch, targets, kind] of cases) {
      const error = await heldOutMlpR2(train, test, targets, { ...quick, ...patch }).then(() => null, (e: unknown) => e);
      expect(isRedundancyLabError(error) && error.kind).toBe(kind);
    }
    const constant = { ...test, data: new Float32Array(test.data) };
    for (let r = 0; r < constant.rows; r++) constant.data[r * constant.cols + 2] = 0;
    const error = await heldOutMlpR2(train, constant, [2], quick).then(() => null, (e: unknown) => e);
    expect(isRedundancyLabError(error) && error.kind).toBe('bad-values');
  });

  it('a diverging learning rate is reported, not turned into NaN', async () => {
    const before = tf.memory().numTensors;
    const error = await heldOutMlpR2(train, test, [4], { ...quick, learningRate: 1e6 }).then(() => null, (e: unknown) => e);
    expect(isRedundancyLabError(error) && error.message).toMatch(/diverged.*lower the learning rate/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
