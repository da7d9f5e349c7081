"""Run by ``torchrun`` (conftest.train_on_two_cpu_ranks): train a config with the pytorch launcher on CPU,
as tools/train.py does, then dump the parameters this rank ends with to ``<work_dir>/rank<r>.pth``."""
import sys

import torch
from mmengine.config import Config
from mmengine.dist import get_rank
from mmengine.runner import Runner

import mmseg_mman  # noqa: F401,I001  (first: the mmcv-ops fallback)
from mmseg_mman.utils import setup_cpu_distributed

if __name__ == '__main__':
    cfg = Config.fromfile(sys.argv[1])
    cfg.launcher = 'pytorch'
    assert setup_cpu_distributed(cfg), 'expected a CPU-only machine'
    runner = Runner.from_cfg(cfg)
    runner.train()
    model = runner.model.module
    params = {name: p.detach().clone() for name, p in model.named_parameters()}
    torch.save(params, f'{cfg.work_dir}/rank{get_rank()}.pth')
