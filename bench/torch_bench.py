"""PyTorch side of `npm run bench`: the same three workloads as bench/train-bench.ts.

Batch 64, Adam (lr 1e-3), 2,048 random samples, 1 warm-up epoch then 2 timed epochs, 2 threads.
Prints one JSON object {workload: samplesPerSec} on stdout. Usage: torch_bench.py [mlp,cnn,lstm] [threads]
"""
import json
import sys
import time

import torch
from torch import nn

torch.set_num_threads(int(sys.argv[2]) if len(sys.argv) > 2 else 2)
torch.manual_seed(0)

N, BATCH, EPOCHS = 2048, 64, 2


class LastStep(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(8, 32, batch_first=True)
        self.dense = nn.Linear(32, 10)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.dense(out[:, -1, :])


def build(workload):
    # Softmax + categorical cross-entropy is nn.CrossEntropyLoss on logits (what Keras fuses too).
    if workload == "mlp":
        return nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10)), (784,)
    if workload == "cnn":
        # NCHW is PyTorch's native layout; the tfjs side is NHWC, its native layout.
        return nn.Sequential(
            nn.Conv2d(1, 16, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(16 * 13 * 13, 10)
        ), (1, 28, 28)
    if workload == "lstm":
        return LastStep(), (20, 8)
    raise ValueError(workload)


def run_epoch(model, opt, loss_fn, x, y):
    perm = torch.randperm(N)
    for i in range(0, N, BATCH):
        idx = perm[i : i + BATCH]
        opt.zero_grad()
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        opt.step()
    return loss.item()


def bench(workload):
    model, shape = build(workload)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.randn(N, *shape)
    y = torch.randint(0, 10, (N,))
    run_epoch(model, opt, loss_fn, x, y)  # warm-up
    t0 = time.perf_counter()
    for _ in range(EPOCHS):
        run_epoch(model, opt, loss_fn, x, y)
    return N * EPOCHS / (time.perf_counter() - t0)


if __name__ == "__main__":
    workloads = (sys.argv[1] if len(sys.argv) > 1 else "mlp,cnn,lstm").split(",")
    print(json.dumps({w: bench(w) for w in workloads}))
