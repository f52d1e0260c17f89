"""The PyTorch CPU peer for NLR at the paper's settings: MLP (D−1)→128→64→1, ReLU, MSE, plain SGD lr 0.01, batch 512 in
row order, EPOCHS epochs, on the standardised train split; held-out R² on the test split.

usage: /usr/bin/python3 bench/peers/torch_nlr.py FILE.npy THREADS DIMS EPOCHS OUT.json  → seconds per dim (in-process)
"""
import json
import sys
import time

import numpy as np
import torch

t_start = time.perf_counter()
path, threads, dims, epochs, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
torch.set_num_threads(threads)
torch.manual_seed(0)
x = np.load(path).astype(np.float64)
n, d = x.shape
perm = np.random.RandomState(0).permutation(n)
n_test = int(np.ceil(0.25 * n))
test, train = x[perm[:n_test]], x[perm[n_test:]]
z = torch.tensor((train - train.mean(0)) / train.std(0), dtype=torch.float32)
zt = torch.tensor((test - test.mean(0)) / test.std(0), dtype=torch.float32)
t_ready = time.perf_counter()
r2 = []
for i in range(dims):
    keep = [j for j in range(d) if j != i]
    xi, yi, xti, yti = z[:, keep], z[:, i:i + 1], zt[:, keep], zt[:, i:i + 1]
    model = torch.nn.Sequential(torch.nn.Linear(d - 1, 128), torch.nn.ReLU(), torch.nn.Linear(128, 64), torch.nn.ReLU(), torch.nn.Linear(64, 1))
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = torch.nn.MSELoss()
    for _ in range(epochs):
        for start in range(0, xi.shape[0], 512):
            opt.zero_grad()
            loss = loss_fn(model(xi[start:start + 512]), yi[start:start + 512])
            loss.backward()
            opt.step()
    with torch.no_grad():
        pred = model(xti)
        r2.append(float(1 - ((pred - yti) ** 2).sum() / ((yti - yti.mean()) ** 2).sum()))
t_end = time.perf_counter()
json.dump({"r2": r2, "secondsPerDim": (t_end - t_ready) / dims, "seconds": {"setup": t_ready - t_start, "train": t_end - t_ready}}, open(out, "w"))
