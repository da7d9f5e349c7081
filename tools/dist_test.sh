#!/usr/bin/env bash
# Distributed testing with torchrun (as mmseg's dist_test.sh).
# Usage: bash tools/dist_test.sh CONFIG CHECKPOINT GPUS [tools/test.py options...]
# Env: NNODES (1), NODE_RANK (0), PORT (29500), MASTER_ADDR (127.0.0.1).
set -euo pipefail

CONFIG=${1:?usage: bash tools/dist_test.sh CONFIG CHECKPOINT GPUS [test.py options...]}
CHECKPOINT=${2:?usage: bash tools/dist_test.sh CONFIG CHECKPOINT GPUS [test.py options...]}
GPUS=${3:?usage: bash tools/dist_test.sh CONFIG CHECKPOINT GPUS [test.py options...]}
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
PORT=${PORT:-29500}
MASTER_ADDR=${MASTER_ADDR:-"127.0.0.1"}

PYTHONPATH="$(dirname "$0")/..${PYTHONPATH:+:$PYTHONPATH}" \
python -m torch.distributed.run \
    --nnodes="$NNODES" \
    --node_rank="$NODE_RANK" \
    --master_addr="$MASTER_ADDR" \
    --nproc_per_node="$GPUS" \
    --master_port="$PORT" \
    "$(dirname "$0")/test.py" \
    "$CONFIG" \
    "$CHECKPOINT" \
    --launcher pytorch "${@:4}"
