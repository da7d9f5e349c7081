#!/usr/bin/env bash
# On a connected machine: download into OUT_DIR every wheel this project needs beyond torch, for
# another Python version and platform (an offline GPU node), plus the project's own wheel. Then, on
# that node, `WHEELHOUSE=OUT_DIR bash scripts/setup_env.sh` installs from the folder, with no index,
# keeping the preinstalled torch (README, "Offline clusters").
#
#   bash scripts/make_wheelhouse.sh OUT_DIR [--python-version 3.12] [--glibc 2.28] [--arch x86_64]
#                                   [--platform TAG ...] [--onnxruntime-gpu]
#
# What: requirements/{runtime,tests,optional}.txt (tests includes deploy: onnx, onnxruntime) without
# torch, setup.py's mmcv-lite pin, pip/setuptools/wheel for the editable install, and every dependency
# of those, as binary wheels for the target (`--only-binary=:all:`: pip cannot build for another
# Python). A requirement published only as an sdist is built here into a wheel (`pip wheel`) and
# kept if the wheel is pure Python (`py3-none-any`); one that would need compiling for the target
# stops the script, naming it. Finally pip resolves the whole set again from OUT_DIR alone, for the
# target, to prove the folder suffices.
#
# Options:
#   --python-version X.Y   target Python (default 3.12)
#   --glibc 2.N            target glibc: accept manylinux_2_17 ... manylinux_2_N wheels (default 2.28)
#   --arch ARCH            target machine (default x86_64)
#   --platform TAG         exact wheel platform tag (repeatable); replaces the --glibc/--arch list
#   --onnxruntime-gpu      also onnxruntime-gpu (CUDA execution provider, several hundred MB);
#                          setup_env.sh then installs it in place of onnxruntime
# Env: PYTHON (interpreter running pip here, default python3). pip uses its own configuration for
# the index (PyPI by default; PIP_INDEX_URL for a mirror).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-python3}"
usage="usage: bash scripts/make_wheelhouse.sh OUT_DIR [--python-version X.Y] [--glibc 2.N] [--arch ARCH]\
 [--platform TAG ...] [--onnxruntime-gpu]"

out_dir=""
py_version="3.12"
glibc="2.28"
arch="x86_64"
platforms=()
ort_gpu=0
while [ $# -gt 0 ]; do
    case "$1" in
        --python-version) py_version="${2:?--python-version needs X.Y}"; shift 2 ;;
        --glibc) glibc="${2:?--glibc needs 2.N}"; shift 2 ;;
        --arch) arch="${2:?--arch needs a machine name, e.g. x86_64}"; shift 2 ;;
        --platform) platforms+=("${2:?--platform needs a tag, e.g. manylinux2014_x86_64}"); shift 2 ;;
        --onnxruntime-gpu) ort_gpu=1; shift ;;
        -h | --help) echo "$usage"; exit 0 ;;
        -*) echo "make_wheelhouse: unknown option $1" >&2; echo "$usage" >&2; exit 2 ;;
        *)
            [ -z "$out_dir" ] || { echo "make_wheelhouse: one OUT_DIR only, got $out_dir and $1" >&2; exit 2; }
            out_dir="$1"; shift ;;
    esac
done
[ -n "$out_dir" ] || { echo "$usage" >&2; exit 2; }
[[ "$py_version" =~ ^3\.[0-9]+$ ]] || { echo "make_wheelhouse: --python-version $py_version is not 3.N" >&2; exit 2; }
[[ "$glibc" =~ ^2\.[0-9]+$ ]] || { echo "make_wheelhouse: --glibc $glibc is not 2.N" >&2; exit 2; }
if [ ${#platforms[@]} -eq 0 ]; then
    minor="${glibc#2.}"
    [ "$minor" -ge 17 ] || { echo "make_wheelhouse: --glibc $glibc: manylinux starts at 2.17" >&2; exit 2; }
    for ((n = minor; n >= 17; n--)); do platforms+=("manylinux_2_${n}_${arch}"); done
    platforms+=("manylinux2014_${arch}" "manylinux2010_${arch}" "manylinux1_${arch}")
fi
mkdir -p "$out_dir"
out_dir="$(cd "$out_dir" && pwd)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The requirement lines, read by setup.py's own reader (so `-r` includes are followed alike); torch
# and its companions stay out: the node's preinstalled build is kept.
PYTHONPATH="$repo_root${PYTHONPATH:+:$PYTHONPATH}" "$python" - "$ort_gpu" > "$work/requirements.txt" <<'EOF'
import re
import sys

import setup

lines = setup.read_requirements('runtime') + setup.read_requirements('tests') + \
    setup.read_requirements('optional') + [setup.MMCV_LITE_REQUIREMENT, 'pip', 'setuptools', 'wheel']
if sys.argv[1] == '1':
    lines.append('onnxruntime-gpu')
skip = {'torch', 'torchvision', 'torchaudio'}
for line in lines:
    name = re.split(r'[ <>=!~;\[]', line, maxsplit=1)[0].lower()
    if name not in skip:
        print(line)
EOF

target_args=(--only-binary=:all: --implementation cp --python-version "$py_version")
for platform in "${platforms[@]}"; do target_args+=(--platform "$platform"); done

echo "make_wheelhouse: Python $py_version, platforms ${platforms[*]} -> $out_dir" >&2
sed 's/^/  /' "$work/requirements.txt" >&2

# Download for the target; a requirement without a wheel for it is built here once, if pure Python.
built=()
for round in $(seq 1 20); do
    if "$python" -m pip download "${target_args[@]}" --find-links "$out_dir" -d "$out_dir" \
        -r "$work/requirements.txt" > "$work/download.log" 2>&1; then
        break
    fi
    missing="$(sed -n 's/.*No matching distribution found for \(.*\)$/\1/p' "$work/download.log" | head -1)"
    if [ -z "$missing" ] || [ "$round" -eq 20 ]; then
        tail -30 "$work/download.log" >&2
        echo "make_wheelhouse: pip download failed (log above)" >&2
        exit 1
    fi
    echo "make_wheelhouse: no wheel of '$missing' for Python $py_version on ${platforms[0]}: building one here" >&2
    rm -rf "$work/wheel" && mkdir -p "$work/wheel"
    if ! "$python" -m pip wheel --no-deps -w "$work/wheel" "$missing" > "$work/wheel.log" 2>&1; then
        tail -20 "$work/wheel.log" >&2
        echo "make_wheelhouse: could not build a wheel of '$missing' either" >&2
        exit 1
    fi
    for wheel in "$work"/wheel/*.whl; do
        case "$(basename "$wheel")" in
            *-none-any.whl) mv "$wheel" "$out_dir/"; built+=("$(basename "$wheel")") ;;
            *)
                echo "make_wheelhouse: '$missing' has no wheel for the target, and the one built here" \
                    "($(basename "$wheel")) is not pure Python: build it on a machine like the target" >&2
                exit 1 ;;
        esac
    done
done

# The project itself (the checkout is still needed for configs/ and tools/).
had_build=0
[ ! -e "$repo_root/build" ] || had_build=1
"$python" -m pip wheel --no-deps -w "$out_dir" "$repo_root" > "$work/project.log" 2>&1 \
    || { tail -20 "$work/project.log" >&2; echo "make_wheelhouse: building the project's wheel failed" >&2; exit 1; }
[ "$had_build" -eq 1 ] || rm -rf "$repo_root/build"  # what setuptools left behind

# The proof: the target resolves every requirement from this folder alone.
# (`pip download` into the same folder copies nothing: every file is "already downloaded".)
"$python" -m pip download --no-index --find-links "$out_dir" -d "$out_dir" "${target_args[@]}" \
    -r "$work/requirements.txt" > "$work/check.log" 2>&1 \
    || { tail -30 "$work/check.log" >&2; echo "make_wheelhouse: $out_dir does not resolve offline" >&2; exit 1; }

{
    echo "# mmseg-mman wheelhouse: Python $py_version, platforms ${platforms[*]}"
    echo "# made $(date -u +%Y-%m-%dT%H:%M:%SZ) by scripts/make_wheelhouse.sh; torch is not included"
    [ ${#built[@]} -eq 0 ] || echo "# built here from sdists (pure Python): ${built[*]}"
    cat "$work/requirements.txt"
} > "$out_dir/wheelhouse.txt"
count="$(find "$out_dir" -maxdepth 1 -name '*.whl' | wc -l)"
echo "make_wheelhouse: $count wheels, $(du -sh "$out_dir" | cut -f1) in $out_dir" \
    "(offline install: WHEELHOUSE=$out_dir bash scripts/setup_env.sh)"
