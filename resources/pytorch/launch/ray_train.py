"""Ray Train: the same training function as train.py, on a Ray cluster. TorchTrainer starts the
workers and their process group; train.run does the rest. The package folder and --out must be on
storage every worker sees.

Usage: python launch/ray_train.py --workers 4 [--gpu] [train.py options...]
"""
import argparse
import os
import sys

from ray.train import ScalingConfig, get_context
from ray.train.torch import TorchTrainer

PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, PACKAGE_DIR)

import train  # noqa: E402  (the package folder is on the path only from here on)


def train_loop_per_worker(config):
    context = get_context()
    args = train.parse_args(config["train_args"])
    train.run(args, context.get_world_rank(), context.get_world_size(), context.get_local_rank())


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=2, help="number of training processes")
    parser.add_argument("--gpu", action="store_true", help="one GPU per worker")
    ours, train_args = parser.parse_known_args()
    trainer = TorchTrainer(
        train_loop_per_worker,
        train_loop_config={"train_args": train_args},
        scaling_config=ScalingConfig(num_workers=ours.workers, use_gpu=ours.gpu),
    )
    trainer.fit()


if __name__ == "__main__":
    main()
