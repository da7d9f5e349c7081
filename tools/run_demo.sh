#!/usr/bin/env bash
# Set up the local virtual environment (tools/setup_env.sh), then train the CE-only baseline and MMAN on
# synthetic LIP-layout data on the CPU, print their mIoU side by side and write colourised predictions.
# Extra arguments go to tools/demo/mman_vs_baseline.py, e.g. `bash tools/run_demo.sh --iters 200`.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=tools/setup_env.sh
source "$repo_root/tools/setup_env.sh"
cd "$repo_root"
OMP_NUM_THREADS=1 python tools/demo/mman_vs_baseline.py "$@"
