#!/usr/bin/env bash
# House style (setup.cfg): flake8, isort and yapf over the repository, checking only.
# Fix what it reports with `pre-commit run --all-files`, or `isort . && yapf -i -r -p .`.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/setup_env.sh
source "$repo_root/scripts/setup_env.sh"
cd "$repo_root"
mapfile -t files < <(git ls-files '*.py')
flake8 "${files[@]}"
isort --check-only --diff "${files[@]}"
yapf --diff "${files[@]}"
echo "lint: ${#files[@]} files clean (flake8, isort, yapf)"
