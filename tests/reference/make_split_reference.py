"""Writes tests/fixtures/reference/split.json: NumPy / scikit-learn split indices our split must reproduce.

Run with Debian's python: /usr/bin/python3 tests/reference/make_split_reference.py
"""
import json
import pathlib

import numpy as np
from sklearn.model_selection import train_test_split

out = {}
for n, seed in [(10, 0), (101, 42), (1000, 7), (5000, 42), (37, 4294967295), (2, 1), (65537, 123)]:
    perm = np.random.RandomState(seed).permutation(n)
    entry = {"n": n, "seed": seed, "permutation": perm.tolist()}
    if n > 10000:  # keep the fixture small: the ends of a long permutation exercise the same code
        entry = {"n": n, "seed": seed, "head": perm[:500].tolist(), "tail": perm[-500:].tolist()}
        out[f"{n}_{seed}"] = entry
        continue
    if n >= 8:
        train, test = train_test_split(np.arange(n), test_size=0.25, random_state=seed)
        entry["train"] = train.tolist()
        entry["test"] = test.tolist()
    out[f"{n}_{seed}"] = entry
path = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "reference" / "split.json"
path.write_text(json.dumps(out))
print("wrote", path)
