# Modelled on tools/test.py of MMSegmentation 1.2.2 (Copyright (c) OpenMMLab).
"""Test (and evaluate) a segmentor checkpoint on a config's test set.

Differences from mmseg's tool: it imports ``mmseg_mman`` first (registers the plugin and the
mmcv-lite ``mmcv.ops`` fallback) and never executes anything from the checkpoint unless
``--trust-checkpoint`` is given: a full training checkpoint (written by ``tools/train.py``) is
read weights-only, its Python objects left unread (see ``mmseg_mman/utils/checkpoint.py``).
"""
import argparse
import os
import os.path as osp
import sys

from mmengine.config import Config, DictAction
from mmengine.runner import Runner

import mmseg_mman  # noqa: F401,I001  (first: registers the plugin and the mmcv.ops fallback)
from mmseg_mman.engine import (check_component_arguments, checked_cfg_options, main_reporting_errors,
                               save_predictions_to, use_tta)
from mmseg_mman.utils import register_safe_checkpoint_loader, setup_cpu_distributed, trust_checkpoint


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='MMSeg test (and eval) a model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--trust-checkpoint',
        action='store_true',
        help='fully unpickle the checkpoint (not needed: the weights of training checkpoints '
        'are read without it). Unpickling can run arbitrary code: only use it for files '
        'you trust.')
    parser.add_argument(
        '--work-dir',
        help=('if specified, the evaluation metric results will be dumped '
              'into the directory as json'))
    parser.add_argument(
        '--out', type=str, help='The directory to save output prediction for offline evaluation')
    parser.add_argument('--show', action='store_true', help='show prediction results')
    parser.add_argument(
        '--show-dir',
        help='directory where painted images will be saved. '
        'If specified, it will be automatically saved '
        'to the work_dir/timestamp/show_dir')
    parser.add_argument('--wait-time', type=float, default=2, help='the interval of show (s)')
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
    parser.add_argument('--tta', action='store_true', help='Test time augmentation')
    # torch.distributed.launch / torchrun of PyTorch >= 2.0 pass `--local-rank`.
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def trigger_visualization_hook(cfg: Config, args: argparse.Namespace) -> Config:
    default_hooks = cfg.default_hooks
    if 'visualization' not in default_hooks:
        raise RuntimeError('VisualizationHook must be included in default_hooks. '
                           'refer to usage '
                           '"visualization=dict(type=\'VisualizationHook\')"')
    visualization_hook = default_hooks['visualization']
    visualization_hook['draw'] = True
    if args.show:
        visualization_hook['show'] = True
        visualization_hook['wait_time'] = args.wait_time
    if args.show_dir:
        cfg.visualizer['save_dir'] = args.show_dir
    return cfg


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

    cfg.load_from = args.checkpoint
    register_safe_checkpoint_loader()
    if args.trust_checkpoint:
        trust_checkpoint(args.checkpoint)

    if args.show or args.show_dir:
        cfg = trigger_visualization_hook(cfg, args)
    if args.tta:
        use_tta(cfg)
    if args.out is not None:
        save_predictions_to(cfg, args.out)

    setup_cpu_distributed(cfg)
    runner = Runner.from_cfg(cfg)
    runner.test()


if __name__ == '__main__':
    sys.exit(main_reporting_errors(main, 'tools/test.py'))
