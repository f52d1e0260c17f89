"""The authors' whole pipeline from raw embeddings, re-typed as a test oracle for `--protocol authors-script` on a
raw file: their solo/utils/corr.py (davidrzs/Self-Supervised-Learning-with-Predictability-Minimization) z-scores the
features as torch gave them — float32 — with `(data - data.mean(0)) / data.std(0)` and writes them with
`np.savetxt(..., delimiter=",")` (default fmt '%.18e'); the released script then reads that file with
`pd.read_csv(path)` (pandas' default C parser; the first row becomes the header) and runs its lines
(authors_script.script). Also run with pandas' correctly rounded parser (float_precision='round_trip'), which is what
the script would see without the parser's ulp errors.

usage: /usr/bin/python3 tests/reference/authors_pipeline.py RAW.csv|RAW.npy [DIM,DIM,…]  → JSON on stdout
  RAW.csv: header-less, float32-exact values (each cell the float64 of a float32); RAW.npy: float32 (or float16)
  DIM list: the LR of those dims only (lrPerDim in that order)
"""
import json
import os
import sys
import tempfile

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from authors_script import script  # noqa: E402

src = sys.argv[1]
data = (np.load(src) if src.endswith('.npy') else np.loadtxt(src, delimiter=',')).astype(np.float32)  # torch's features: float32
dims = [int(t) for t in sys.argv[2].split(',')] if len(sys.argv) > 2 else None
assert data.flags['C_CONTIGUOUS']
with np.errstate(invalid='ignore', divide='ignore'):
    data_standardized = (data - data.mean(0)) / data.std(0)
assert data_standardized.dtype == np.float32
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, 'data_standardized.csv')
    np.savetxt(path, data_standardized, delimiter=",")
    pipeline = script(pd.read_csv(path).to_numpy(), dims)
    exact = script(pd.read_csv(path, float_precision='round_trip').to_numpy(), dims)
print(json.dumps({**pipeline, "exactParse": exact}))
