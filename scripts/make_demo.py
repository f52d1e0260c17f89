#!/usr/bin/python3
"""Writes the app's demo files to public/demo/ (run with Debian's /usr/bin/python3; needs only NumPy).

(a) Real features: 2,000 of the 5,000 MNIST test digits in ../shared/data (the first 200 of each class),
    embedded by a pretrained MobileNetV2 at four depths. One compressed .npz per depth holding `features`
    (float16, so the page stays light) and `labels` (the digit, int32).
(b) Three small synthetic sets that show what each measure sees:
    - independent: 32 independent Gaussian dims (AAC, LR and NLR all ≈ 0);
    - linear: 32 dims, each a random linear mix of 24 hidden Gaussian factors plus a little noise: pairwise
      correlations stay small (AAC low) yet every dim is predicted well from the others (LR high);
    - nonlinear: 16 independent Gaussian dims z and 16 products z_k · z_(k+1): every pairwise correlation is
      ≈ 0 (AAC and LR ≈ 0), but the products are functions of other dims (NLR clearly > 0).

Deterministic: the same NumPy seed gives the same bytes.
"""
from __future__ import annotations

import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(ROOT, 'public', 'demo')
SHARED = os.path.normpath(os.path.join(ROOT, '..', 'shared', 'data'))
ROWS = 2000
SEED = 20241202

REAL = [
    # (source file, demo file, layer, description)
    ('mnist5000_mobilenetv2_block13_576.npy', 'mnist-mobilenetv2-layer1-block13.npz', 'block_13_expand_relu',
     'MNIST digits through MobileNetV2, mid-network (block 13, 576 dims, pooled)'),
    ('mnist5000_mobilenetv2_block16_320.npy', 'mnist-mobilenetv2-layer2-block16.npz', 'block_16_project_BN',
     'MNIST digits through MobileNetV2, last block (block 16, 320 dims, pooled)'),
    ('mnist5000_mobilenetv2_pool1280.npy', 'mnist-mobilenetv2-layer3-pool.npz', 'flatten_1',
     'MNIST digits through MobileNetV2, pooled backbone output (1280 dims, many dead ReLUs). About 1,000 live dims on 1,500 train rows (D/N_train ≈ 0.7): held-out LR is negative here even though the layer is redundant — a small-sample effect; read it against LR null (noise) and LR adj. (the population estimate).'),
    ('mnist5000_mobilenetv2_dense256.npy', 'mnist-mobilenetv2-layer4-dense.npz', 'dense_1',
     'MNIST digits through MobileNetV2, the 256-unit ReLU head on top'),
]
LABELS = 'mnist5000_labels.npy'


def save(name: str, array: np.ndarray) -> int:
    path = os.path.join(OUT, name)
    np.save(path, array, allow_pickle=False)
    return os.path.getsize(path)


def save_npz(name: str, **arrays: np.ndarray) -> int:
    path = os.path.join(OUT, name)
    with open(path, 'wb') as f:  # a file object: np.savez_compressed would append .npz to a name
        np.savez_compressed(f, **arrays)
    return os.path.getsize(path)


def first_rows_balanced(labels: np.ndarray, rows: int) -> np.ndarray:
    """The first rows/10 images of each digit, in their original order (so every layer gets the same rows)."""
    per_class = rows // 10
    keep = np.concatenate([np.flatnonzero(labels == c)[:per_class] for c in range(10)])
    return np.sort(keep)


def synthetic(rng: np.random.Generator) -> dict[str, tuple[np.ndarray, str]]:
    n = ROWS
    independent = rng.standard_normal((n, 32))

    factors = rng.standard_normal((n, 24))
    mixing = rng.standard_normal((24, 32))
    linear = factors @ mixing + 0.5 * rng.standard_normal((n, 32))

    z = rng.standard_normal((n, 16))
    products = z * np.roll(z, -1, axis=1)  # z_k * z_(k+1)
    nonlinear = np.concatenate([z, products], axis=1)

    return {
        'synthetic-independent.npy': (independent.astype(np.float32),
                                      'Synthetic: 32 independent Gaussian dims, nothing to predict'),
        'synthetic-linear.npy': (linear.astype(np.float32),
                                 'Synthetic: 32 linear mixes of 24 hidden factors: low AAC, high LR'),
        'synthetic-nonlinear.npy': (nonlinear.astype(np.float32),
                                    'Synthetic: 16 Gaussian dims and their 16 neighbour products: AAC ≈ LR ≈ 0, NLR > 0'),
    }


def main() -> int:
    if not os.path.isdir(SHARED):
        print(f'make_demo: {SHARED} not found (the real MobileNetV2 features)', file=sys.stderr)
        return 1
    os.makedirs(OUT, exist_ok=True)
    manifest = []
    synthetic_entries = []
    total = 0

    labels = np.load(os.path.join(SHARED, LABELS))
    keep = first_rows_balanced(labels, ROWS)
    y = labels[keep].astype(np.int32)
    for src, dst, layer, description in REAL:
        x = np.load(os.path.join(SHARED, src))[keep]
        x16 = x.astype(np.float16)
        if not np.all(np.isfinite(x16)):
            print(f'make_demo: {src} overflows float16', file=sys.stderr)
            return 1
        total += save_npz(dst, features=x16, labels=y)
        manifest.append({'file': dst, 'role': 'embedding', 'title': layer, 'description': description,
                         'arrays': {'features': {'shape': list(x16.shape), 'dtype': 'float16'},
                                    'labels': {'shape': list(y.shape), 'dtype': 'int32'}},
                         'source': [src, LABELS]})

    rng = np.random.default_rng(SEED)
    for name, (x, description) in synthetic(rng).items():
        total += save(name, x)
        synthetic_entries.append({'file': name, 'role': 'embedding', 'title': name.removesuffix('.npy'),
                         'description': description,
                         'arrays': {'': {'shape': list(x.shape), 'dtype': 'float32'}}, 'source': 'scripts/make_demo.py'})

    # the small synthetic sets first: the page fetches and measures the demo in this order, so the first
    # numbers come after a quarter of a megabyte, while the MobileNetV2 layers (5.9 MB) download behind them
    manifest = synthetic_entries + manifest
    with open(os.path.join(OUT, 'manifest.json'), 'w') as f:
        json.dump({'rows': ROWS, 'seed': SEED, 'files': manifest}, f, indent=2, ensure_ascii=False)
        f.write('\n')
    print(f'make_demo: wrote {len(manifest)} files, {total / 1e6:.1f} MB, to {os.path.relpath(OUT, ROOT)}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
