#!/usr/bin/env bash
# Install what is missing (scripts/setup_env.sh), then run the test suite on the CPU.
# Extra arguments go to pytest, e.g. `bash scripts/run_tests.sh tests/test_utils -x`.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/setup_env.sh
source "$repo_root/scripts/setup_env.sh"
cd "$repo_root"
# One thread per process: more are slower on small machines shared with other work.
OMP_NUM_THREADS=1 python -m pytest tests -q "$@"
