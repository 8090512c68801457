#!/usr/bin/env bash
# The Netwright GPU check, self-contained (built by `npm run gpu:bundle`): needs Linux x86-64, a GPU
# with a Vulkan driver, and (for the PyTorch column) a python3 that imports torch. No Node, no
# registry. Prints the adapter, checks every layer against the cpu backend, times training; writes
# results.json, results.txt and run.log into $OUT, else ./gpu-results. README, "Measuring a GPU".
#
#   ./run.sh [--quick] [--workloads mlp,cnn,lstm] [--batches 64,256] [--samples 2048]
#            [--epochs 2] [--repeats 3] [--no-layers] [--no-bench]
#
# Environment: PYTHON (the python3 with torch), VK_DRIVER_FILES / VK_ICD_FILENAMES (the Vulkan
# driver; the NVIDIA one under /usr/local/nvidia is found by itself), NETWRIGHT_GPU_WORK (where
# Node and Dawn are unpacked), NETWRIGHT_OWN_VULKAN_LOADER=1 (use the bundled loader even when the
# system has one).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=${NETWRIGHT_GPU_WORK:-${TMPDIR:-/tmp}/netwright-gpu-check}
out=${OUT:-$PWD/gpu-results}
mkdir -p "$work/dist/linux-x64" "$out"

# xz, or Python's lzma where the machine has no xz.
unxz_to() {
  if command -v xz >/dev/null 2>&1; then
    xz -dc -T0 "$1" >"$2"
  else
    python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2"
  fi
}
unxz_to "$here/node.xz" "$work/node"
chmod +x "$work/node"
# webgpu's loader looks for dist/<platform>-<arch>/dawn.node beside the module that imports it.
unxz_to "$here/dawn.node.xz" "$work/dist/linux-x64/dawn.node"
cp "$here/check.mjs" "$here"/*.wasm "$here/torch_bench.py" "$work/"

# The Vulkan loader: the system's, else the bundled Debian libvulkan1 unpacked in the work folder.
if [ -n "${NETWRIGHT_OWN_VULKAN_LOADER:-}" ] || ! ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1'; then
  deb=$(ls "$here"/libvulkan1_*.deb | head -n 1)
  rm -rf "$work/vulkan" && mkdir -p "$work/vulkan"
  if command -v dpkg >/dev/null 2>&1; then
    dpkg -x "$deb" "$work/vulkan"
  else
    # A .deb is an ar archive holding data.tar.*: unpack it with Python alone.
    python3 - "$deb" "$work/vulkan" <<'PY'
import io, sys, tarfile
data = open(sys.argv[1], "rb").read()
pos = 8
while pos < len(data):
    name, size = data[pos:pos + 16].decode().strip().rstrip("/"), int(data[pos + 48:pos + 58])
    if name.startswith("data.tar"):
        tarfile.open(fileobj=io.BytesIO(data[pos + 60:pos + 60 + size])).extractall(sys.argv[2])
    pos += 60 + size + (size & 1)
PY
  fi
  export LD_LIBRARY_PATH="$work/vulkan/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  echo "Vulkan loader: bundled $(basename "$deb")" | tee "$out/run.log"
else
  echo "Vulkan loader: the system's" | tee "$out/run.log"
fi

# NVIDIA's Vulkan driver where the container mounts it outside the loader's search path.
nvidia_icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -z "${VK_ICD_FILENAMES:-}${VK_DRIVER_FILES:-}" ] && [ -f "$nvidia_icd" ]; then
  export VK_DRIVER_FILES=$nvidia_icd
fi
echo "Vulkan driver: ${VK_DRIVER_FILES:-${VK_ICD_FILENAMES:-the default search path}}" | tee -a "$out/run.log"
if command -v nvidia-smi >/dev/null 2>&1; then
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | sed 's/^/nvidia-smi: /' | tee -a "$out/run.log" || true
fi

# The python3 that imports torch.
if [ -z "${PYTHON:-}" ]; then
  for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import torch' 2>/dev/null; then
      PYTHON=$p
      break
    fi
  done
fi
export PYTHON=${PYTHON:-python3}

"$work/node" "$work/check.mjs" --out "$out" "$@" 2>&1 | tee -a "$out/run.log"
