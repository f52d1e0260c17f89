"""Linear CKA and its debiased estimator between .npy files, in Gram (N x N) space as Kornblith et al.'s
reference notebook computes them (gram_linear, center_gram(unbiased=...), cka), re-typed independently of our
feature-space code. Usage: cka.py A.npy B.npy ... -> {"linearCka": [[...]], "linearCkaDebiased": [[...]]}."""
import json
import sys

import numpy as np


def center_gram(gram, unbiased):
    gram = gram.copy()
    n = gram.shape[0]
    if unbiased:
        np.fill_diagonal(gram, 0)
        means = np.sum(gram, 0, dtype=np.float64) / (n - 2)
        means -= np.sum(means) / (2 * (n - 1))
        gram -= means[:, None]
        gram -= means[None, :]
        np.fill_diagonal(gram, 0)
    else:
        means = np.mean(gram, 0, dtype=np.float64)
        means -= np.mean(means) / 2
        gram -= means[:, None]
        gram -= means[None, :]
    return gram


def cka(gx, gy, debiased):
    gx, gy = center_gram(gx, debiased), center_gram(gy, debiased)
    return float(gx.ravel().dot(gy.ravel()) / (np.linalg.norm(gx) * np.linalg.norm(gy)))


grams = []
for path in sys.argv[1:]:
    x = np.load(path).astype(np.float64)
    x = x.reshape(x.shape[0], -1)
    grams.append(x @ x.T)
k = len(grams)
out = {key: [[cka(grams[i], grams[j], deb) for j in range(k)] for i in range(k)] for key, deb in (("linearCka", False), ("linearCkaDebiased", True))}
print(json.dumps(out))
