"""alpha-ReQ of an .npy as reptrix computes it (arnab39/reptrix, utils.get_eigenspectrum + alpha.get_powerlaw),
re-typed independently: scikit-learn PCA's explained-variance ratios of the centred features, then the
weighted least-squares fit of log(eigenvalue) on [-log(rank), 1] over fit_range = arange(5, 100), weights 1/rank.
Usage: alpha_req.py FILE.npy  ->  {"alphaReq": ..., "rankMe": ...} on stdout."""
import json
import sys

import numpy as np
from sklearn.decomposition import PCA

feats = np.load(sys.argv[1]).astype(np.float64)
centred = feats - feats.mean(axis=0)
pca = PCA(n_components=min(2048, centred.shape[0], centred.shape[1]), svd_solver="full").fit(centred)
eigen = pca.explained_variance_ratio_
trange = np.arange(5, 100)
y = np.log(np.abs(eigen))[trange][:, None]
ranks = trange + 1
x = np.concatenate((-np.log(ranks)[:, None], np.ones((ranks.size, 1))), axis=1)
w = 1.0 / ranks.astype(np.float32)[:, None]
b = np.linalg.solve(x.T @ (x * w), (w * x).T @ y).flatten()
print(json.dumps({"alphaReq": float(b[0])}))
