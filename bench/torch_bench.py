"""PyTorch side of `npm run bench` and of the GPU check (bench/gpu-check/): the same three workloads
as bench/train-bench.ts.

Batch 64, Adam (lr 1e-3), 2,048 random samples, 1 warm-up epoch then 2 timed epochs, 2 threads,
on the CPU, unless the options say otherwise. Prints one JSON object {workload: samplesPerSec}.

Usage: torch_bench.py [mlp,cnn,lstm] [threads] [--batch 64] [--samples 2048] [--epochs 2]
                      [--device cpu|cuda|auto]
       torch_bench.py --describe [--device …]   prints {"torch", "device", "name"} and exits
"""
import argparse
import json
import time

import torch
from torch import nn

parser = argparse.ArgumentParser()
parser.add_argument("workloads", nargs="?", default="mlp,cnn,lstm")
parser.add_argument("threads", nargs="?", type=int, default=2)
parser.add_argument("--batch", type=int, default=64)
parser.add_argument("--samples", type=int, default=2048)
parser.add_argument("--epochs", type=int, default=2)
parser.add_argument("--device", default="cpu", choices=["cpu", "cuda", "auto"])
parser.add_argument("--describe", action="store_true")
args = parser.parse_args()

torch.set_num_threads(args.threads)
torch.manual_seed(0)

N, BATCH, EPOCHS = args.samples, args.batch, args.epochs
DEVICE = torch.device(
    "cuda" if args.device == "cuda" or (args.device == "auto" and torch.cuda.is_available()) else "cpu"
)


def sync():
    # CUDA runs asynchronously: a timer read before the queue drains measures only the launches.
    if DEVICE.type == "cuda":
        torch.cuda.synchronize()


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
    perm = torch.randperm(N, device=DEVICE)
    for i in range(0, N, BATCH):
        idx = perm[i : i + BATCH]
        opt.zero_grad()
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        opt.step()
    return loss.item()


def bench(workload):
    model, shape = build(workload)
    model = model.to(DEVICE)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.randn(N, *shape, device=DEVICE)
    y = torch.randint(0, 10, (N,), device=DEVICE)
    run_epoch(model, opt, loss_fn, x, y)  # warm-up
    sync()
    t0 = time.perf_counter()
    for _ in range(EPOCHS):
        run_epoch(model, opt, loss_fn, x, y)
    sync()
    return N * EPOCHS / (time.perf_counter() - t0)


def describe():
    name = torch.cuda.get_device_name(DEVICE) if DEVICE.type == "cuda" else "CPU"
    return {"torch": torch.__version__, "device": DEVICE.type, "name": name, "threads": args.threads}


if __name__ == "__main__":
    if args.describe:
        print(json.dumps(describe()))
    else:
        print(json.dumps({w: bench(w) for w in args.workloads.split(",")}))
