"""Redundancy groups re-computed with NumPy and SciPy, independently of src/core/measures/redundancyGroups.ts.
Usage: redundancy_groups.py data.f32 N D   (raw little-endian float32, row-major N x D; every column varies)
       redundancy_groups.py --quantiles p1 p2 ...   -> {"isf": [...]} (scipy.stats.norm.isf)
Prints JSON: threshold, linkThreshold, links, groups (original dims, size >= 2), partial (row-major D x D)."""
import json
import sys

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from scipy.stats import norm

if sys.argv[1] == "--quantiles":
    print(json.dumps({"isf": [float(norm.isf(float(p))) for p in sys.argv[2:]]}))
    sys.exit(0)

path, n, d = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
x = np.fromfile(path, dtype="<f4").astype(np.float64).reshape(n, d)
c = np.corrcoef(x, rowvar=False)
pairs = d * (d - 1) / 2
z = norm.isf(0.05 / (2 * pairs))  # Bonferroni over the pairs, family-wise 5%, two-sided
threshold = max(0.5, float(np.tanh(z / np.sqrt(n - 3))))

dist = 1 - np.abs(c)
np.fill_diagonal(dist, 0)
tree = linkage(squareform(dist, checks=False), method="average")
labels = fcluster(tree, t=1 - threshold, criterion="distance")
groups = [sorted(int(i) for i in np.flatnonzero(labels == lab)) for lab in np.unique(labels)]
groups = [g for g in groups if len(g) >= 2]
groups.sort(key=lambda g: (-len(g), g[0]))

out = {"threshold": threshold, "groups": groups, "linkThreshold": None, "links": None, "partial": None}
if n - d - 1 > 0 and np.linalg.matrix_rank(c) == d:
    p = np.linalg.inv(c)
    partial = -p / np.sqrt(np.outer(np.diag(p), np.diag(p)))
    np.fill_diagonal(partial, 1)
    link = float(np.tanh(z / np.sqrt(n - d - 1)))
    iu = np.triu_indices(d, 1)
    out.update(linkThreshold=link, links=int(np.sum(np.abs(partial[iu]) > link)), partial=partial.ravel().tolist())
    out["groupStats"] = [
        {"meanAbsR": float(np.mean(np.abs(c[np.ix_(g, g)][np.triu_indices(len(g), 1)]))),
         "meanAbsPartialR": float(np.mean(np.abs(partial[np.ix_(g, g)][np.triu_indices(len(g), 1)]))),
         "links": int(np.sum(np.abs(partial[np.ix_(g, g)][np.triu_indices(len(g), 1)]) > link))}
        for g in groups
    ]
print(json.dumps(out))
