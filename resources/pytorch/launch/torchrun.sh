#!/usr/bin/env bash
# One machine: N training processes (default one per GPU, or 2 on a CPU-only machine).
# Usage: launch/torchrun.sh [N] [train.py options...]
set -euo pipefail
cd "$(dirname "$0")/.."
gpus=$(python3 -c 'import torch; print(torch.cuda.device_count())')
nproc="${1:-$((gpus > 0 ? gpus : 2))}"
exec torchrun --standalone --nproc_per_node="$nproc" train.py "${@:2}"
