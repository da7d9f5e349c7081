"""Distributed training on CPU-only machines with mmengine's ``pytorch`` launcher."""
import os

import torch
import torch.distributed as dist
from mmengine.config import Config


def setup_cpu_distributed(cfg: Config) -> bool:
    """Prepare a ``torchrun`` launch on a machine without CUDA; return whether it did anything.

    mmengine's pytorch launcher calls ``torch.cuda.set_device`` and passes ``device_ids`` to DDP, both
    of which fail on CPU. Here the process group is initialised with the gloo backend first (mmengine
    then skips its own set-up) and the model wrapper gets ``device_ids=None``.
    """
    if cfg.get('launcher', 'none') == 'none' or torch.cuda.is_available():
        return False
    if not dist.is_initialized():
        dist.init_process_group(
            backend='gloo', rank=int(os.environ['RANK']), world_size=int(os.environ['WORLD_SIZE']))
    if cfg.get('model_wrapper_cfg') is not None:
        cfg.model_wrapper_cfg['device_ids'] = None
    return True
