"""The authors' LR protocol, run independently with scikit-learn — a test oracle for our CLI.

For each live, non-degenerate dim i: RidgeCV(alphas=[1e-3, 1e-2, 1e-1, 1, 10]) predicting z_i from the
other standardised dims on sklearn's train_test_split(test_size=0.25, random_state=seed), each split
standardised with its own statistics; held-out r2_score. Also AAC (mean |Pearson r| over live dims).

usage: /usr/bin/python3 tests/reference/sklearn_protocol.py FILE.npy SEED [ROWS] [COLS] [CHECK] [TOP]  → JSON on stdout
  ROWS: use the first ROWS rows; COLS: the first COLS columns (0 or absent: all);
  CHECK: score only this many usable dims (a seeded sample; per-dim RidgeCV at D ≈ 1000 takes seconds each);
  TOP: also "topPredictors" per dim: the TOP inputs with the largest |RidgeCV coef_| (original dims, sorted), each
  with coef and the partial correlation -M_ij/sqrt(M_ii M_jj) from NumPy's inverse M = (Z_trᵀZ_tr + αI)⁻¹, α the dim's.
"""
import json
import sys

import numpy as np
from sklearn.linear_model import RidgeCV
from sklearn.metrics import r2_score
from sklearn.model_selection import train_test_split

path, seed = sys.argv[1], int(sys.argv[2])
rows = int(sys.argv[3]) if len(sys.argv) > 3 and int(sys.argv[3]) > 0 else None
cols = int(sys.argv[4]) if len(sys.argv) > 4 and int(sys.argv[4]) > 0 else None
check = int(sys.argv[5]) if len(sys.argv) > 5 and int(sys.argv[5]) > 0 else None
top = int(sys.argv[6]) if len(sys.argv) > 6 else 0
x = np.load(path).astype(np.float64)[:rows, :cols]
n, d = x.shape
std = x.std(axis=0)
dead = (std == 0) | (std < 1e-6 * std.max())
live = np.flatnonzero(~dead)
corr = np.corrcoef(x[:, live], rowvar=False)
iu = np.triu_indices(len(live), k=1)
aac = float(np.abs(corr[iu]).mean())

train, test = train_test_split(x, test_size=0.25, random_state=seed)
s_tr, s_te = train.std(axis=0), test.std(axis=0)
tiny = lambda s: (s == 0) | (s < 1e-6 * std.max())
degenerate = [int(j) for j in live if tiny(s_tr[j]) or tiny(s_te[j])]
usable = np.array([j for j in live if j not in set(degenerate)])
z_tr = (train[:, usable] - train[:, usable].mean(0)) / s_tr[usable]
z_te = (test[:, usable] - test[:, usable].mean(0)) / s_te[usable]
per_dim = [None] * d
alphas = [None] * d
tops = [None] * d
gram = z_tr.T @ z_tr
inverses = {}
checked = range(len(usable)) if check is None or check >= len(usable) else sorted(np.random.RandomState(0).choice(len(usable), check, replace=False))
for k in checked:
    j = usable[k]
    others = np.delete(np.arange(len(usable)), k)
    model = RidgeCV(alphas=[1e-3, 1e-2, 1e-1, 1, 10]).fit(z_tr[:, others], z_tr[:, k])
    per_dim[j] = float(r2_score(z_te[:, k], model.predict(z_te[:, others])))
    alphas[j] = float(model.alpha_)
    if top:
        if model.alpha_ not in inverses:
            inverses[model.alpha_] = np.linalg.inv(gram + model.alpha_ * np.eye(len(usable)))
        m = inverses[model.alpha_]
        order = sorted(range(len(others)), key=lambda t: (-abs(model.coef_[t]), t))[:top]
        tops[j] = [{"dim": int(usable[others[t]]), "coef": float(model.coef_[t]),
                    "partialCorr": float(-m[others[t], k] / np.sqrt(m[k, k] * m[others[t], others[t]]))} for t in order]
print(json.dumps({
    "n": n, "d": d, "aac": aac, "deadDims": [int(j) for j in np.flatnonzero(dead)],
    "splitDegenerateDims": degenerate, "lrPerDim": per_dim, "alphaPerDim": alphas,
    "lr": float(np.mean([v for v in per_dim if v is not None])),
    "usable": int(len(usable)), "nTrain": int(len(train)),
    **({"topPredictors": tops} if top else {}),
}))
