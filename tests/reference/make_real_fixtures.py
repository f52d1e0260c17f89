"""Small real-embedding fixtures for the reference tests: a seeded sample of 1,200 MNIST test digits
embedded by a pretrained MobileNetV2 (see /work/shared/data/README.md), saved as float16 to keep the repo
light. Both our tool and the scikit-learn reference read the same float16 values.

Run: /usr/bin/python3 tests/reference/make_real_fixtures.py [path/to/shared/data]
"""
import pathlib
import sys

import numpy as np

src = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data")
out = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "real"
out.mkdir(parents=True, exist_ok=True)
rows = np.sort(np.random.RandomState(0).permutation(5000)[:1200])
for name in ["mnist5000_mobilenetv2_dense256", "mnist5000_mobilenetv2_block16_320"]:
    x = np.load(src / f"{name}.npy")[rows].astype(np.float16)
    np.save(out / f"{name.replace('5000', '1200')}_f16.npy", x)
labels = np.load(src / "mnist5000_labels.npy")[rows].astype(np.int64)
np.save(out / "mnist1200_labels.npy", labels)
print("wrote", sorted(p.name for p in out.iterdir()))
