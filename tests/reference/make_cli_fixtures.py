"""The same 48×6 float32 matrix (plus integer labels) written in every format the CLI reads, by the
real writers: np.save / np.savez / np.savez_compressed / torch.save / np.savetxt, safetensors by its spec,
parquet by scripts (node tests/reference/make_cli_parquet.mjs, from matrix.json). A test measures each and
expects the numbers of the .npy.

Run: /usr/bin/python3 tests/reference/make_cli_fixtures.py && node tests/reference/make_cli_parquet.mjs
"""
import json
import pathlib
import struct

import numpy as np

out = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "cli"
out.mkdir(parents=True, exist_ok=True)
rng = np.random.RandomState(3)
z = rng.randn(48, 4)
x = np.column_stack([z, z[:, 0] + 0.3 * rng.randn(48), z[:, 1] * z[:, 2]]).astype(np.float32)
labels = (np.arange(48) % 3).astype(np.int64)

np.save(out / "matrix.npy", x)
np.savez(out / "matrix.npz", embeddings=x, labels=labels)
np.savez_compressed(out / "matrix_compressed.npz", embeddings=x, labels=labels)
np.savetxt(out / "matrix.csv", x, delimiter=",")
np.savetxt(out / "matrix.txt", x)
np.savetxt(out / "matrix.tsv", x, delimiter="\t", header="\t".join(f"f{j}" for j in range(6)), comments="")
header = {"embeddings": {"dtype": "F32", "shape": list(x.shape), "data_offsets": [0, x.nbytes]},
          "labels": {"dtype": "I64", "shape": [48], "data_offsets": [x.nbytes, x.nbytes + labels.nbytes]}}
h = json.dumps(header).encode()
(out / "matrix.safetensors").write_bytes(struct.pack("<Q", len(h)) + h + x.tobytes() + labels.tobytes())
try:
    import torch
    torch.save({"embeddings": torch.from_numpy(x), "labels": torch.from_numpy(labels)}, out / "matrix.pt")
except ImportError:
    print("python3-torch missing: matrix.pt not written")
(out / "matrix.json").write_text(json.dumps({"rows": x.tolist(), "labels": labels.tolist()}))
print("wrote", sorted(p.name for p in out.iterdir()))
