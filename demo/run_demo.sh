#!/usr/bin/env bash
# Set up the local virtual environment (scripts/setup_env.sh), then train the CE-only baseline and MMAN on
# synthetic LIP-layout data on the CPU, print their mIoU side by side and write colourised predictions.
# Extra arguments go to demo/mman_vs_baseline.py, e.g. `bash demo/run_demo.sh --iters 200`.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/setup_env.sh
source "$repo_root/scripts/setup_env.sh"
cd "$repo_root"
OMP_NUM_THREADS=1 python demo/mman_vs_baseline.py "$@"
