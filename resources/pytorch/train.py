"""Data-parallel training of model.py on data/ with PyTorch DistributedDataParallel, using the
project's optimizer, loss, global batch size, epochs, learning-rate schedule and early stopping
(config.json).

Start it in one of three ways:
  torchrun --standalone --nproc_per_node=N train.py            (one machine, N processes)
  MASTER_ADDR=.. MASTER_PORT=.. RANK=r WORLD_SIZE=n LOCAL_RANK=l python train.py   (per process)
  python train.py --nproc-per-node N                           (starts N local processes itself)

Rank 0 appends one JSON line per epoch to <out>/metrics.jsonl, saves a checkpoint each epoch
(<out>/checkpoints/, --resume continues from the latest) and, at the end, the final weights and the
test metrics in <out>/final/ (what `netwright import-checkpoint` reads).
"""
import argparse
import copy
import json
import os
import shutil
import socket
import time

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from data import NetwrightDataset, has_split
from model import build_model, save_weights

HERE = os.path.dirname(os.path.abspath(__file__))
# Netwright's (and Keras') clipping of probabilities inside the cross-entropies.
EPSILON = 1e-7


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="Train model.py with DistributedDataParallel.")
    parser.add_argument("--nproc-per-node", type=int, help="start this many local processes")
    parser.add_argument("--out", default=os.path.join(HERE, "output"), help="output folder")
    parser.add_argument("--epochs", type=int, help="override the project's number of epochs")
    parser.add_argument(
        "--resume", action="store_true", help="continue from the latest checkpoint"
    )
    parser.add_argument(
        "--record-shards",
        action="store_true",
        help="write the sample indices each rank trains on in the first epoch to <out>/shards/",
    )
    return parser.parse_args(argv)


def load_config():
    with open(os.path.join(HERE, "config.json"), encoding="utf-8") as f:
        return json.load(f)


def loss_value(name, pred, target):
    if name == "categoricalCrossentropy":
        return -(target * pred.clamp(EPSILON, 1 - EPSILON).log()).sum(-1).mean()
    if name == "sparseCategoricalCrossentropy":
        picked = pred.clamp(EPSILON, 1 - EPSILON).gather(-1, target.long().reshape(-1, 1))
        return -picked.log().mean()
    if name == "binaryCrossentropy":
        p = pred.clamp(EPSILON, 1 - EPSILON)
        return -(target * p.log() + (1 - target) * (1 - p).log()).mean()
    if name == "meanSquaredError":
        return (target - pred).pow(2).mean()
    if name == "meanAbsoluteError":
        return (target - pred).abs().mean()
    raise ValueError(f"unknown loss {name}")


def metric_value(name, pred, target):
    """Accuracy for the classification losses, else mean absolute error (as Netwright shows)."""
    if name == "categoricalCrossentropy":
        return (pred.argmax(-1) == target.argmax(-1)).float().mean()
    if name == "sparseCategoricalCrossentropy":
        return (pred.argmax(-1) == target.reshape(-1).long()).float().mean()
    if name == "binaryCrossentropy":
        return ((pred > 0.5) == (target > 0.5)).float().mean()
    return (target - pred).abs().mean()


def make_optimizer(config, parameters):
    kind, lr = config["type"], config["learningRate"]
    # tfjs' defaults where PyTorch's differ (epsilon 1e-7, RMSprop decay 0.9, Adagrad 0.1).
    if kind == "sgd":
        return torch.optim.SGD(parameters, lr=lr)
    if kind == "momentum":
        return torch.optim.SGD(parameters, lr=lr, momentum=config.get("momentum") or 0.9)
    if kind == "adam":
        return torch.optim.Adam(parameters, lr=lr, eps=EPSILON)
    if kind == "rmsprop":
        return torch.optim.RMSprop(parameters, lr=lr, alpha=0.9, eps=EPSILON)
    if kind == "adagrad":
        return torch.optim.Adagrad(parameters, lr=lr, initial_accumulator_value=0.1, eps=EPSILON)
    raise ValueError(f"unknown optimizer {kind}")


class BestTracker:
    """The best value of one monitored quantity and the epochs since it last improved."""

    def __init__(self, monitor, min_delta=0.0):
        self.monitor = monitor
        self.min_delta = min_delta
        self.best = None
        self.best_epoch = None
        self.wait = 0

    def update(self, epoch, value):
        higher = self.monitor.replace("val_", "") == "accuracy"
        if value is None:
            improved = False
        elif self.best is None:
            improved = True
        elif higher:
            improved = value > self.best + self.min_delta
        else:
            improved = value < self.best - self.min_delta
        if improved:
            self.best, self.best_epoch, self.wait = value, epoch, 0
        else:
            self.wait += 1
        return improved


def usable_monitor(monitor, has_validation):
    return monitor if has_validation else monitor.replace("val_", "")


def shard_totals(model, dataset, config, rank, world_size, device):
    """Loss and metric summed over this rank's share of `dataset`, and its sample count."""
    totals = torch.zeros(3, dtype=torch.float64, device=device)
    indices = list(range(rank, len(dataset), world_size))
    loader = DataLoader(torch.utils.data.Subset(dataset, indices), batch_size=256)
    with torch.no_grad():
        for inputs, target in loader:
            inputs, target = [x.to(device) for x in inputs], target.to(device)
            pred = model(*inputs)
            n = len(target)
            totals[0] += loss_value(config["loss"], pred, target).item() * n
            totals[1] += metric_value(config["loss"], pred, target).item() * n
            totals[2] += n
    return totals


def evaluate(model, dataset, config, rank, world_size, device):
    """Mean loss (with the regularisation penalty, as Netwright reports it) and metric, all ranks."""
    model.eval()
    totals = shard_totals(model, dataset, config, rank, world_size, device)
    dist.all_reduce(totals)
    model.train()
    count = max(totals[2].item(), 1)
    penalty = float(model.regularization_loss())
    return totals[0].item() / count + penalty, totals[1].item() / count


def save_checkpoint(out, epoch, state):
    """Rank 0: checkpoints/epoch-NNNN/ (weights/*.npy and state.pt), then point `latest` at it."""
    root = os.path.join(out, "checkpoints")
    folder = os.path.join(root, f"epoch-{epoch:04d}")
    save_weights(state["module"], os.path.join(folder, "weights"))
    payload = {key: value for key, value in state.items() if key != "module"}
    torch.save(payload, os.path.join(folder, "state.pt"))
    with open(os.path.join(root, "latest.tmp"), "w", encoding="utf-8") as f:
        f.write(os.path.basename(folder))
    os.replace(os.path.join(root, "latest.tmp"), os.path.join(root, "latest"))
    for name in os.listdir(root):
        if name.startswith("epoch-") and name != os.path.basename(folder):
            shutil.rmtree(os.path.join(root, name), ignore_errors=True)


def load_checkpoint(out):
    root = os.path.join(out, "checkpoints")
    with open(os.path.join(root, "latest"), encoding="utf-8") as f:
        folder = os.path.join(root, f.read().strip())
    return torch.load(os.path.join(folder, "state.pt"), map_location="cpu")


def run(args, rank, world_size, local_rank):
    """The training function: every process runs it once its process group is up."""
    config = load_config()
    use_cuda = torch.cuda.is_available()
    device = torch.device("cuda", local_rank) if use_cuda else torch.device("cpu")
    if use_cuda:
        torch.cuda.set_device(device)
    torch.manual_seed(config["seed"] + rank)
    epochs = args.epochs or config["epochs"]

    module = build_model().to(device)
    module.train()
    model = DistributedDataParallel(module, device_ids=[local_rank] if use_cuda else None)
    optimizer = make_optimizer(config["optimizer"], module.parameters())
    initial_lr = config["optimizer"]["learningRate"]

    train_set = NetwrightDataset("train")
    validation_set = NetwrightDataset("validation") if has_split("validation") else None
    has_validation = validation_set is not None and len(validation_set) > 0
    # The global batch is split evenly across the ranks.
    per_rank = max(1, config["batchSize"] // world_size)
    # drop_last: each rank gets a disjoint shard of the same size (at most world_size - 1 samples
    # of the reshuffled epoch are left out).
    sampler = DistributedSampler(
        train_set, world_size, rank, shuffle=True, seed=config["seed"], drop_last=True
    )
    loader = DataLoader(train_set, batch_size=per_rank, sampler=sampler)

    early = config.get("earlyStopping")
    schedule = config.get("lrSchedule")
    default_monitor = "val_loss" if has_validation else "loss"
    monitor = usable_monitor((early or {}).get("monitor") or default_monitor, has_validation)
    tracker = BestTracker(monitor, (early or {}).get("minDelta", 0.0))
    plateau = None
    if schedule and schedule["type"] == "plateau":
        plateau_monitor = usable_monitor(schedule.get("monitor") or monitor, has_validation)
        plateau = BestTracker(plateau_monitor, schedule.get("minDelta", 0.0))
    best_state, history, first_epoch = None, [], 1

    if args.resume:
        saved = load_checkpoint(args.out)
        module.load_state_dict(saved["model"])
        optimizer.load_state_dict(saved["optimizer"])
        tracker.__dict__.update(saved["tracker"])
        if plateau:
            plateau.__dict__.update(saved["plateau"])
        best_state, history, first_epoch = saved["best"], saved["history"], saved["epoch"] + 1

    if rank == 0:
        os.makedirs(args.out, exist_ok=True)
        if config["batchSize"] % world_size:
            print(
                f"The global batch {config['batchSize']} does not split evenly over {world_size} "
                f"ranks; each rank takes {per_rank} (global {per_rank * world_size})."
            )
    stopped_early = False
    for epoch in range(first_epoch, epochs + 1):
        started = time.time()
        sampler.set_epoch(epoch)
        if args.record_shards and epoch == first_epoch:
            os.makedirs(os.path.join(args.out, "shards"), exist_ok=True)
            with open(os.path.join(args.out, "shards", f"rank-{rank}.json"), "w") as f:
                json.dump(list(sampler), f)
        totals = torch.zeros(3, dtype=torch.float64, device=device)
        for inputs, target in loader:
            inputs, target = [x.to(device) for x in inputs], target.to(device)
            pred = model(*inputs)
            loss = loss_value(config["loss"], pred, target) + module.regularization_loss()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            n = len(target)
            totals[0] += loss.item() * n
            totals[1] += metric_value(config["loss"], pred.detach(), target).item() * n
            totals[2] += n
        dist.all_reduce(totals)
        record = {
            "epoch": epoch,
            "loss": totals[0].item() / totals[2].item(),
            config["metric"]: totals[1].item() / totals[2].item(),
            "learning_rate": optimizer.param_groups[0]["lr"],
        }
        if has_validation:
            val_loss, val_metric = evaluate(
                module, validation_set, config, rank, world_size, device
            )
            record["val_loss"], record["val_" + config["metric"]] = val_loss, val_metric
        record["seconds"] = time.time() - started
        record["samples_per_sec"] = totals[2].item() / max(record["seconds"], 1e-9)
        record["world_size"] = world_size
        history.append(record)

        if tracker.update(epoch, record.get(monitor)):
            best_state = copy.deepcopy(module.state_dict())
        stop = bool(early) and epoch < epochs and tracker.wait >= max(1, early.get("patience", 5))
        lr = optimizer.param_groups[0]["lr"]
        if schedule and schedule["type"] == "step":
            lr = initial_lr * schedule.get("factor", 0.5) ** (epoch // schedule.get("every", 10))
        elif plateau:
            plateau.update(epoch, record.get(plateau.monitor))
            if plateau.wait >= max(1, schedule.get("patience", 3)):
                plateau.wait = 0
                lr = max(lr * schedule.get("factor", 0.5), schedule.get("minLearningRate", 1e-6))
        for group in optimizer.param_groups:
            group["lr"] = lr

        if rank == 0:
            with open(os.path.join(args.out, "metrics.jsonl"), "a", encoding="utf-8") as f:
                f.write(json.dumps(record) + "\n")
            state = {
                "module": module,
                "epoch": epoch,
                "model": module.state_dict(),
                "optimizer": optimizer.state_dict(),
                "tracker": vars(tracker),
                "plateau": vars(plateau) if plateau else None,
                "best": best_state,
                "history": history,
            }
            save_checkpoint(args.out, epoch, state)
        if stop:
            stopped_early = True
            break

    restore = bool(early) and early.get("restoreBestWeights", True)
    if restore and best_state is not None and tracker.best_epoch != history[-1]["epoch"]:
        module.load_state_dict(best_state)
    test_set = NetwrightDataset("test")
    test_loss, test_metric = evaluate(module, test_set, config, rank, world_size, device)
    if rank == 0:
        final = os.path.join(args.out, "final")
        save_weights(module, os.path.join(final, "weights"))
        result = {
            "event": "test",
            "loss": test_loss,
            config["metric"]: test_metric,
            "samples": len(test_set),
            "epochs_run": len(history),
            "best_epoch": tracker.best_epoch,
            "stopped_early": stopped_early,
            "world_size": world_size,
        }
        with open(os.path.join(final, "metrics.json"), "w", encoding="utf-8") as f:
            json.dump(result, f, indent=2)
        with open(os.path.join(args.out, "metrics.jsonl"), "a", encoding="utf-8") as f:
            f.write(json.dumps(result) + "\n")
        metric = config["metric"]
        print(f"Test {metric} {test_metric:.4f}, loss {test_loss:.4f}; final weights in {final}")


def init_and_run(rank, world_size, args):
    """One process: join the process group (NCCL with CUDA, gloo otherwise), train, leave."""
    backend = "nccl" if torch.cuda.is_available() else "gloo"
    dist.init_process_group(backend, rank=rank, world_size=world_size)
    try:
        run(args, rank, world_size, int(os.environ.get("LOCAL_RANK", rank)))
    finally:
        dist.destroy_process_group()


def spawned_worker(local_rank, world_size, args):
    os.environ["LOCAL_RANK"] = str(local_rank)
    init_and_run(local_rank, world_size, args)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    args = parse_args()
    if "RANK" in os.environ:
        # torchrun, or the environment set by hand per process.
        init_and_run(int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"]), args)
        return
    nproc = args.nproc_per_node or 1
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
    os.environ.setdefault("MASTER_PORT", str(free_port()))
    mp.spawn(spawned_worker, args=(nproc, args), nprocs=nproc, join=True)


if __name__ == "__main__":
    main()
