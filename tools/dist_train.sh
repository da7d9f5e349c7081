#!/usr/bin/env bash
# Distributed training on one or several nodes with torchrun (as mmseg's dist_train.sh).
# Usage: bash tools/dist_train.sh CONFIG GPUS [tools/train.py options...]
# Env: NNODES (1), NODE_RANK (0), PORT (29500), MASTER_ADDR (127.0.0.1).
set -euo pipefail

CONFIG=${1:?usage: bash tools/dist_train.sh CONFIG GPUS [train.py options...]}
GPUS=${2:?usage: bash tools/dist_train.sh CONFIG GPUS [train.py options...]}
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
    "$(dirname "$0")/train.py" \
    "$CONFIG" \
    --launcher pytorch "${@:3}"
