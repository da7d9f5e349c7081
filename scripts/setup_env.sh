#!/usr/bin/env bash
# Create <repo>/.venv if missing and install everything the project needs into it.
# Works on a fresh machine and is quick when everything is already installed.
#   bash scripts/setup_env.sh          # install
#   source scripts/setup_env.sh        # install, and keep the venv activated in this shell
# Env: PYTHON (interpreter that creates the venv, default python3), VENV_DIR (default <repo>/.venv).

_mman_setup_env() {
    local repo_root venv_dir python stamp wanted
    repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
    venv_dir="${VENV_DIR:-$repo_root/.venv}"
    python="${PYTHON:-python3}"

    if [ ! -x "$venv_dir/bin/python" ]; then
        echo "setup_env: creating $venv_dir with $python" >&2
        "$python" -m venv "$venv_dir" || return 1
    fi
    # shellcheck disable=SC1091
    . "$venv_dir/bin/activate" || return 1

    # What the install depends on; unchanged since the last successful run -> nothing to do.
    stamp="$venv_dir/.mmseg_mman_setup"
    wanted="$(cat "$repo_root/setup.py" "$repo_root"/requirements/*.txt \
        "$repo_root/scripts/setup_env.sh" | sha256sum | cut -d' ' -f1) $repo_root"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ] \
        && python -c 'import importlib.metadata as m; m.distribution("mmseg-mman")' 2>/dev/null; then
        return 0
    fi

    # torch first, pinned: an unpinned torch would pull a CUDA build of several GB, while
    # torch==2.13.0 resolves to the CPU build on this project's machines.
    python -m pip install --quiet torch==2.13.0 || return 1
    python -m pip install --quiet -r "$repo_root/requirements/tests.txt" -e "$repo_root" \
        || return 1
    echo "$wanted" > "$stamp"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    set -euo pipefail
    _mman_setup_env
else
    _mman_setup_env || return 1
fi
