import { describe, expect, it } from 'vitest';
import { naturalCompare, orderShards, shardName, shardSetName, suggestShardGroups } from '../../../src/core/io/shardNames.ts';

describe('shardName', () => {
  it.each([
    ['emb_rank0.npy', 'emb_rank*.npy', 0],
    ['emb_rank12.npy', 'emb_rank*.npy', 12],
    ['feats_shard_1.npz', 'feats_shard_*.npz', 1],
    ['part-00002.parquet', 'part-*.parquet', 2],
    ['run1_rank3.pt', 'run1_rank*.pt', 3],
    ['emb_0.npy', 'emb_*.npy', 0],
    ['emb-7.npy', 'emb-*.npy', 7],
    ['model-00002-of-00004.safetensors', 'model-*-of-00004.safetensors', 2],
    ['GPU1_feats.npy', 'GPU*_feats.npy', 1],
  ])('%s → %s, %i', (name, template, index) => {
    expect(shardName(name)).toEqual({ template, index });
  });

  it.each(['features.npy', 'mnist-mobilenetv2-layer3-pool.npz', 'proj2.npy', 'model_layer_3.npy', 'epoch_10.npy', 'resnet50.npy'])(
    '%s has no shard number (a model tag or none)',
    (name) => {
      expect(shardName(name)).toBeNull();
    },
  );
});

describe('suggestShardGroups', () => {
  it('groups names that differ only by the shard number, in numeric order (rank10 after rank2)', () => {
    const groups = suggestShardGroups(['emb_rank10.npy', 'labels.npy', 'emb_rank2.npy', 'emb_rank0.npy', 'emb_rank1.npy', 'other.npy']);
    expect(groups).toEqual([
      { template: 'emb_rank*.npy', names: ['emb_rank0.npy', 'emb_rank1.npy', 'emb_rank2.npy', 'emb_rank10.npy'], indices: [0, 1, 2, 10], missing: [3, 4, 5, 6, 7, 8, 9] },
    ]);
  });

  it('keeps different templates apart and says which ranks are missing', () => {
    const groups = suggestShardGroups(['a_rank0.npy', 'b_rank0.npy', 'a_rank2.npy', 'b_rank1.npy', 'a_rank0.npz']);
    expect(groups.map((g) => [g.template, g.names, g.missing])).toEqual([
      ['a_rank*.npy', ['a_rank0.npy', 'a_rank2.npy'], [1]],
      ['b_rank*.npy', ['b_rank0.npy', 'b_rank1.npy'], []],
    ]);
  });

  it('suggests nothing for one shard, for study models (layer1, layer2) or for the same file dropped twice', () => {
    expect(suggestShardGroups(['emb_rank0.npy'])).toEqual([]);
    expect(suggestShardGroups(['model-layer1.npz', 'model-layer2.npz', 'model-layer3.npz'])).toEqual([]);
    expect(suggestShardGroups(['emb_rank0.npy', 'emb_rank0.npy'])).toEqual([]);
  });

  it('reads zero-padded part numbers', () => {
    expect(suggestShardGroups(['part-00010.npy', 'part-00002.npy', 'part-00001.npy'])[0].names).toEqual(['part-00001.npy', 'part-00002.npy', 'part-00010.npy']);
  });
});

describe('orderShards, naturalCompare and shardSetName', () => {
  it('orders shards picked by hand by their number, else naturally', () => {
    expect(orderShards(['x_rank10.npy', 'x_rank9.npy', 'x_rank0.npy'])).toEqual(['x_rank0.npy', 'x_rank9.npy', 'x_rank10.npy']);
    expect(orderShards(['b10.npy', 'a.npy', 'b2.npy'])).toEqual(['a.npy', 'b2.npy', 'b10.npy']);
    expect(naturalCompare('f2', 'f10')).toBeLessThan(0);
  });

  it('names the set after the shared template, or first … last', () => {
    expect(shardSetName(['emb_rank0.npy', 'emb_rank1.npy', 'emb_rank2.npy', 'emb_rank3.npy'])).toBe('emb_rank*.npy (4 shards)');
    expect(shardSetName(['left.npy', 'mid.npy', 'right.npy'])).toBe('left.npy … right.npy (3 shards)');
  });
});
