"""The LR and AAC part of the authors' released script (analysis/predict_all_refactored_new.py in
davidrzs/Self-Supervised-Learning-with-Predictability-Minimization), re-typed line for line as a test oracle
for `--protocol authors-script`: pandas.read_csv's default header (the first data row is lost; np.loadtxt with
skiprows=1 reads a numeric CSV the same way), np.nan_to_num, corr = XᵀX / N, train_test_split(test_size=0.25,
random_state=0), each split standardised with std + 1e-100, RidgeCV(alphas=[1e-3, 1e-2, 1e-1, 1, 10]) per dim
on the other D−1 columns, mean_squared_error on the held-out split (R² = 1 − MSE on a standardised target).

usage: /usr/bin/python3 tests/reference/authors_script.py FILE.csv  → JSON on stdout
"""
import json
import sys

import numpy as np
from sklearn.linear_model import RidgeCV
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split



def script(X, dims=None):
    """Their lines from the CSV as read (X: float64, first row already lost) to AAC and the per-dim LR (of `dims`,
    default all: their script's own subsample_rate picks some)."""
    X = np.nan_to_num(X)
    corr = (np.transpose(X) @ X) / X.shape[0]
    aac = float(np.mean(np.abs(corr[np.triu_indices_from(corr, k=1)])))
    X_train, X_val = train_test_split(X, test_size=0.25, random_state=0)
    X_train = (X_train - X_train.mean(axis=0)) / (X_train.std(axis=0) + 1e-100)
    X_val = (X_val - X_val.mean(axis=0)) / (X_val.std(axis=0) + 1e-100)
    per_dim = []
    for i in (range(X.shape[1]) if dims is None else dims):
        ridge = RidgeCV(alphas=[1e-3, 1e-2, 1e-1, 1, 10]).fit(np.delete(X_train, i, 1), X_train[:, i])
        per_dim.append(1 - float(mean_squared_error(X_val[:, i], ridge.predict(np.delete(X_val, i, 1)))))
    return {"n": int(X.shape[0]), "aac": aac, "lrPerDim": per_dim, "lr": float(np.mean(per_dim))}


if __name__ == "__main__":
    print(json.dumps(script(np.loadtxt(sys.argv[1], delimiter=',', skiprows=1))))
