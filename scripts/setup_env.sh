#!/usr/bin/env bash
# Create <repo>/.venv if missing and install everything the project needs into it.
# Works on a fresh machine and is quick when everything is already installed.
#   bash scripts/setup_env.sh          # install
#   source scripts/setup_env.sh        # install, and keep the venv activated in this shell
#   WHEELHOUSE=DIR bash scripts/setup_env.sh   # offline: only from DIR (scripts/make_wheelhouse.sh),
#                                              # keeping the torch that PYTHON already has
# Env: PYTHON (interpreter that creates the venv, default python3), VENV_DIR (default <repo>/.venv),
# WHEELHOUSE (a folder of wheels: install with --no-index from it; the venv sees PYTHON's packages).

# The venv sees the packages of the interpreter that made it, also when that interpreter is itself a
# venv (as on GPU nodes whose torch lives in one), where --system-site-packages alone would not.
_mman_layer_venv() {
    local python="$1" venv_dir="$2" site_dir
    site_dir="$("$venv_dir/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" \
        || return 1
    "$python" -c 'import site; print("\n".join(site.getsitepackages()))' > "$site_dir/_mman_base_env.pth"
}

# Offline: everything from the wheelhouse, no index; torch stays the one already installed.
_mman_install_offline() {
    local repo_root="$1" wheelhouse="$2" torch_version constraints
    if ! torch_version="$(python -c 'import torch; print(torch.__version__)' 2>/dev/null)"; then
        echo "setup_env: WHEELHOUSE mode keeps the preinstalled torch, but $(command -v python) cannot" \
            "import torch: set PYTHON to the interpreter that has torch (and remove ${VIRTUAL_ENV:-the venv})" >&2
        return 1
    fi
    constraints="$(mktemp)"
    echo "torch==$torch_version" > "$constraints"
    echo "setup_env: installing from $wheelhouse (no index), keeping torch $torch_version" >&2
    python -m pip install --quiet --no-index --find-links "$wheelhouse" --constraint "$constraints" \
        -r "$repo_root/requirements/tests.txt" -e "$repo_root" || { rm -f "$constraints"; return 1; }
    rm -f "$constraints"
    # onnxruntime-gpu (make_wheelhouse.sh --onnxruntime-gpu) replaces onnxruntime: both are `onnxruntime`.
    if ls "$wheelhouse"/onnxruntime_gpu-*.whl > /dev/null 2>&1; then
        python -m pip uninstall --quiet --yes onnxruntime || return 1
        python -m pip install --quiet --no-index --find-links "$wheelhouse" onnxruntime-gpu || return 1
    fi
}

_mman_setup_env() {
    local repo_root venv_dir python stamp wanted wheelhouse
    repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
    venv_dir="${VENV_DIR:-$repo_root/.venv}"
    python="${PYTHON:-python3}"
    wheelhouse="${WHEELHOUSE:-}"
    if [ -n "$wheelhouse" ]; then
        [ -d "$wheelhouse" ] || { echo "setup_env: WHEELHOUSE=$wheelhouse is not a folder" >&2; return 1; }
        if ! ls "$wheelhouse"/*.whl > /dev/null 2>&1; then
            echo "setup_env: WHEELHOUSE=$wheelhouse holds no wheels (make it with scripts/make_wheelhouse.sh)" >&2
            return 1
        fi
        wheelhouse="$(cd "$wheelhouse" && pwd)"
    fi

    if [ ! -x "$venv_dir/bin/python" ]; then
        if [ -n "$wheelhouse" ]; then
            echo "setup_env: creating $venv_dir with $python, on top of its packages" >&2
            "$python" -m venv --system-site-packages "$venv_dir" || return 1
            _mman_layer_venv "$python" "$venv_dir" || return 1
        else
            echo "setup_env: creating $venv_dir with $python" >&2
            "$python" -m venv "$venv_dir" || return 1
        fi
    fi
    # shellcheck disable=SC1091
    . "$venv_dir/bin/activate" || return 1

    # What the install depends on; unchanged since the last successful run -> nothing to do.
    stamp="$venv_dir/.mmseg_mman_setup"
    # (setup.py embeds mmseg_mman/utils/mmcv_ops_hook.py in the .pth file that it installs.)
    wanted="$(cat "$repo_root/setup.py" "$repo_root"/requirements/*.txt \
        "$repo_root/mmseg_mman/utils/mmcv_ops_hook.py" \
        "$repo_root/scripts/setup_env.sh" | sha256sum | cut -d' ' -f1) $repo_root${wheelhouse:+ $wheelhouse}"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ] \
        && python -c 'import importlib.metadata as m; m.distribution("mmseg-mman")' 2>/dev/null; then
        return 0
    fi

    if [ -n "$wheelhouse" ]; then
        _mman_install_offline "$repo_root" "$wheelhouse" || return 1
        echo "$wanted" > "$stamp"
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
