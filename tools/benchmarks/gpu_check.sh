#!/usr/bin/env bash
# The GPU check (tools/benchmarks/gpu_check.py) with the project's venv when there is one.
# Usage: bash tools/benchmarks/gpu_check.sh OUT_DIR [--dry-run] [--steps S ...] [--budget SECONDS]
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
[ $# -ge 1 ] || { echo "usage: bash tools/benchmarks/gpu_check.sh OUT_DIR [--dry-run] [gpu_check.py options]" >&2; exit 2; }
# PYTHON if set, else the venv of scripts/setup_env.sh, else python3.
python="${PYTHON:-}"
if [ -z "$python" ]; then
    python=python3
    [ ! -x "$repo_root/.venv/bin/python" ] || python="$repo_root/.venv/bin/python"
fi
exec "$python" "$repo_root/tools/benchmarks/gpu_check.py" "$@"
