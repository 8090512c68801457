"""PyTorch side of `npm run bench` and of the GPU check (bench/gpu-check/): the same workloads as
bench/workloads.ts.

Adam (lr 1e-3), 2,048 random samples, warm-up epochs (1 unless --warmup-epochs says more; `npm run
bench` asks for as many as Netwright's side trains) then 2 timed epochs (`npm run bench` asks for
each workload's own count), 2 threads, on the CPU, each workload at its own batch size (BATCH
below), unless the options say otherwise.

Usage: torch_bench.py [mlp,cnn,…] [threads] [--batch N] [--samples 2048] [--epochs 2]
                      [--warmup-epochs 1] [--device cpu|cuda|auto]
           prints one JSON object {workload: samplesPerSec}
       torch_bench.py --describe [--device …]   prints {"torch", "device", "name"} and exits
       torch_bench.py --serve WORKLOAD [threads] [--samples …] [--epochs …]
           each line on stdin runs one measurement, answered by one line
           {"samplesPerSec": …, "firstEpochSamplesPerSec": …, "peakRssKb": …} (the first warm-up
           epoch's own rate; peakRssKb: this process's peak resident memory so far)
"""
import argparse
import json
import resource
import sys
import time

import torch
from torch import nn

parser = argparse.ArgumentParser()
parser.add_argument("workloads", nargs="?", default="mlp,cnn,lstm")
parser.add_argument("threads", nargs="?", type=int, default=2)
parser.add_argument("--batch", type=int, default=None)
parser.add_argument("--samples", type=int, default=2048)
parser.add_argument("--epochs", type=int, default=2)
parser.add_argument("--warmup-epochs", type=int, default=1)
parser.add_argument("--device", default="cpu", choices=["cpu", "cuda", "auto"])
parser.add_argument("--describe", action="store_true")
parser.add_argument("--serve", action="store_true")
args = parser.parse_args()

torch.set_num_threads(args.threads)
torch.manual_seed(0)

N, EPOCHS = args.samples, args.epochs
BATCH = {"mlp": 64, "cnn": 64, "lstm": 64, "convnet": 128, "resnet": 64, "gru": 64, "conv1d": 64, "mlp3": 256}
DEVICE = torch.device(
    "cuda" if args.device == "cuda" or (args.device == "auto" and torch.cuda.is_available()) else "cpu"
)


def sync():
    # CUDA runs asynchronously: a timer read before the queue drains measures only the launches.
    if DEVICE.type == "cuda":
        torch.cuda.synchronize()


class LastStep(nn.Module):
    """A recurrent layer's last output → Dense 10 (a Keras LSTM/GRU without returnSequences)."""

    def __init__(self, rnn):
        super().__init__()
        self.rnn = rnn
        self.dense = nn.Linear(rnn.hidden_size, 10)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.dense(out[:, -1, :])


class Residual(nn.Module):
    """Conv–BN–ReLU twice, plus the block's input (the skip)."""

    def __init__(self, c):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c), nn.ReLU(),
            nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c), nn.ReLU(),
        )

    def forward(self, x):
        return self.body(x) + x


def build(workload):
    # Softmax + categorical cross-entropy is nn.CrossEntropyLoss on logits (what Keras fuses too).
    # NCHW / NCL are PyTorch's native layouts; the tfjs side is channels-last, its native layout.
    if workload == "mlp":
        return nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10)), (784,)
    if workload == "cnn":
        return nn.Sequential(
            nn.Conv2d(1, 16, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(16 * 13 * 13, 10)
        ), (1, 28, 28)
    if workload == "lstm":
        return LastStep(nn.LSTM(8, 32, batch_first=True)), (20, 8)
    if workload == "convnet":
        return nn.Sequential(
            nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Dropout(0.5), nn.Linear(64 * 5 * 5, 10),
        ), (1, 28, 28)
    if workload == "resnet":
        return nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
            Residual(16), nn.MaxPool2d(2), Residual(16),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10),
        ), (3, 32, 32)
    if workload == "gru":
        return LastStep(nn.GRU(16, 64, batch_first=True)), (50, 16)
    if workload == "conv1d":
        return nn.Sequential(
            nn.Conv1d(1, 16, 9), nn.ReLU(), nn.MaxPool1d(4),
            nn.Conv1d(16, 32, 9), nn.ReLU(), nn.MaxPool1d(4),
            nn.Conv1d(32, 32, 5), nn.ReLU(),
            nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(32, 10),
        ), (1, 256)
    if workload == "mlp3":
        return nn.Sequential(
            nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10)
        ), (784,)
    raise ValueError(workload)


def run_epoch(model, opt, loss_fn, x, y, batch):
    perm = torch.randperm(N, device=DEVICE)
    for i in range(0, N, batch):
        idx = perm[i : i + batch]
        opt.zero_grad()
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        opt.step()
    return loss.item()


def bench(workload):
    model, shape = build(workload)
    model = model.to(DEVICE)
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.randn(N, *shape, device=DEVICE)
    y = torch.randint(0, 10, (N,), device=DEVICE)
    batch = args.batch or BATCH[workload]
    first = 0.0
    for i in range(max(1, args.warmup_epochs)):
        t0 = time.perf_counter()
        run_epoch(model, opt, loss_fn, x, y, batch)
        sync()
        if i == 0:
            first = N / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    for _ in range(EPOCHS):
        run_epoch(model, opt, loss_fn, x, y, batch)
    sync()
    return N * EPOCHS / (time.perf_counter() - t0), first


def describe():
    name = torch.cuda.get_device_name(DEVICE) if DEVICE.type == "cuda" else "CPU"
    return {"torch": torch.__version__, "device": DEVICE.type, "name": name, "threads": args.threads}


if __name__ == "__main__":
    if args.describe:
        print(json.dumps(describe()))
    elif args.serve:
        for _ in sys.stdin:
            sps, first = bench(args.workloads)
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            print(json.dumps({"samplesPerSec": sps, "firstEpochSamplesPerSec": first, "peakRssKb": rss}), flush=True)
    else:
        print(json.dumps({w: bench(w)[0] for w in args.workloads.split(",")}))
