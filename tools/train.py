# Modelled on tools/train.py of MMSegmentation 1.2.2 (Copyright (c) OpenMMLab).
"""Train a segmentor (MMAN or any mmseg model) from a config.

Differences from mmseg's tool: it imports ``mmseg_mman`` first (registers the plugin and the
mmcv-lite ``mmcv.ops`` fallback), ``--amp`` also switches every wrapper of a dict of optimizer
wrappers (GAN configs), ``--resume`` takes an optional checkpoint path, and checkpoints are
loaded weights-only except the run's own ones (its ``work_dir`` and the resume target) and
``load_from`` with ``--trust-checkpoint``, which are fully unpickled (see
``mmseg_mman/utils/checkpoint.py``).
"""
import argparse
import os
import os.path as osp
import sys

from mmengine.config import Config, DictAction
from mmengine.runner import Runner
from mmseg.registry import RUNNERS

import mmseg_mman  # noqa: F401,I001  (first: registers the plugin and the mmcv.ops fallback)
from mmseg_mman.engine import (apply_resume, check_component_arguments, checked_cfg_options, enable_amp,
                               main_reporting_errors, trust_own_checkpoints)
from mmseg_mman.utils import setup_cpu_distributed


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Train a segmentor')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='resume from the given checkpoint, or, without a path, from the latest '
        'checkpoint in the work_dir automatically. The resumed checkpoint is trusted '
        '(fully unpickled).')
    parser.add_argument(
        '--trust-checkpoint',
        action='store_true',
        help='fully unpickle the checkpoint in `load_from` (e.g. a full training '
        'checkpoint of an earlier run to fine-tune from). Unpickling can run arbitrary '
        'code: only use it for files you trust. Without it `load_from` is loaded '
        'weights-only, unless it is resumed.')
    parser.add_argument(
        '--amp',
        action='store_true',
        default=False,
        help='enable automatic-mixed-precision training (every optimizer wrapper)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override some settings in the used config, the key-value pair '
        'in xxx=yyy format will be merged into config file. If the value to '
        'be overwritten is a list, it should be like key="[a,b]" or key=a,b '
        'It also allows nested list/tuple values, e.g. key="[(a,b),(c,d)]" '
        'Note that the quotation marks are necessary and that no white space '
        'is allowed.')
    parser.add_argument(
        '--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'], default='none', help='job launcher')
    # torch.distributed.launch / torchrun of PyTorch >= 2.0 pass `--local-rank`.
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def main() -> None:
    args = parse_args()

    cfg = Config.fromfile(args.config)
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(checked_cfg_options(cfg, args.cfg_options))
    check_component_arguments(cfg)

    # work_dir is determined in this priority: CLI > segment in file > filename
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs', osp.splitext(osp.basename(args.config))[0])

    if args.amp:
        enable_amp(cfg)
    if args.resume is not None:
        apply_resume(cfg, args.resume)
    trust_own_checkpoints(cfg, args.trust_checkpoint)

    setup_cpu_distributed(cfg)
    if 'runner_type' not in cfg:
        runner = Runner.from_cfg(cfg)
    else:
        runner = RUNNERS.build(cfg)
    runner.train()


if __name__ == '__main__':
    sys.exit(main_reporting_errors(main, 'tools/train.py'))
