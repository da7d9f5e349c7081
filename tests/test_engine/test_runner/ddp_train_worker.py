"""Run by ``torchrun`` from test_distributed.py: train a config with the pytorch launcher, then dump the
parameters this rank ends with to ``<work_dir>/rank<r>.pth``."""
import sys

import mmseg_mman  # noqa: F401,I001  (first: the mmcv-ops fallback)
import torch
import torch.distributed as dist
from mmengine.config import Config
from mmengine.dist import get_rank
from mmengine.runner import Runner

if __name__ == '__main__':
    cfg = Config.fromfile(sys.argv[1])
    cfg.launcher = 'pytorch'
    # mmengine's pytorch launcher calls torch.cuda.set_device; on CPU the process group is set up here
    dist.init_process_group(backend='gloo')
    runner = Runner.from_cfg(cfg)
    runner.train()
    model = runner.model.module
    params = {name: p.detach().clone() for name, p in model.named_parameters()}
    torch.save(params, f'{cfg.work_dir}/rank{get_rank()}.pth')
