"""The peer a researcher would write instead of this tool: AAC and all-dims RidgeCV LR in NumPy float64, closed form
(docs/science.md: one (G + αI)⁻¹ per α, Q = Z·M, leave-one-out terms, held-out via W = M·diag(M)⁻¹), the authors'
split (train_test_split(test_size=0.25, random_state=0)), each split standardised on its own.

usage: /usr/bin/python3 bench/peers/numpy_lr.py FILE.npy OUT.json   → timings (in-process, s) and per-dim LR
"""
import json
import sys
import time

import numpy as np

t_start = time.perf_counter()
path, out = sys.argv[1], sys.argv[2]
x = np.load(path).astype(np.float64)
t_loaded = time.perf_counter()
n, d = x.shape
perm = np.random.RandomState(0).permutation(n)  # sklearn's ShuffleSplit with random_state=0
n_test = int(np.ceil(0.25 * n))
test, train = x[perm[:n_test]], x[perm[n_test:]]

corr = np.corrcoef(x, rowvar=False)
aac = float(np.abs(corr[np.triu_indices(d, k=1)]).mean())

z = (train - train.mean(0)) / train.std(0)
zt = (test - test.mean(0)) / test.std(0)
ntr = z.shape[0]
G = z.T @ z
Ct = zt.T @ zt
best_loo = np.full(d, np.inf)
best_mse = np.zeros(d)
best_alpha = np.zeros(d)
for alpha in [1e-3, 1e-2, 1e-1, 1, 10]:
    M = np.linalg.inv(G + alpha * np.eye(d))
    m = np.diag(M)
    Q = z @ M
    e = Q / m
    h = (z * Q).sum(1, keepdims=True) - Q ** 2 / m
    loo = ((e / (1 - 1 / ntr - h)) ** 2).mean(0)
    W = M / m
    mse = np.einsum("ij,ij->j", W, Ct @ W) / zt.shape[0]
    better = loo < best_loo
    best_loo[better], best_mse[better], best_alpha[better] = loo[better], mse[better], alpha
lr_per_dim = 1 - best_mse
t_end = time.perf_counter()
json.dump({"aac": aac, "lr": float(lr_per_dim.mean()), "lrPerDim": lr_per_dim.tolist(), "alphaPerDim": best_alpha.tolist(),
           "seconds": {"load": t_loaded - t_start, "compute": t_end - t_loaded}}, open(out, "w"))
