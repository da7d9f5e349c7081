"""AdaptSegNet under 2-process gloo DDP: G runs forward twice per step (source, then target) through the
separately wrapped backbone and heads; the ranks must stay identical."""
import os
import os.path as osp
import socket
import subprocess
import sys

import torch
from mmengine.config import Config

from mmseg_mman.utils.synthetic_domains import generate_synthetic_domains

WORKER = osp.join(osp.dirname(__file__), 'ddp_train_worker.py')
REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
CONFIG = osp.join(REPO_ROOT, 'configs/demo/adaptsegnet_r18_synthetic-domains.py')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def test_two_process_gloo_adaptation_keeps_ranks_identical(tmp_path):
    data_root = str(tmp_path / 'data')
    generate_synthetic_domains(data_root, num_train=8, num_val=2, img_size=32, seed=0)
    cfg = Config.fromfile(CONFIG)
    dataset = cfg.train_dataloader.dataset
    for domain in (dataset.source, dataset.target, cfg.val_dataloader.dataset, cfg.test_dataloader.dataset):
        domain.data_root = data_root
    cfg.work_dir = str(tmp_path)
    cfg.train_dataloader.batch_size = 2
    cfg.train_cfg.max_iters = 3
    cfg.train_cfg.val_interval = cfg.default_hooks.checkpoint.interval = 100
    # CPU modules take no device_ids; mmengine passes LOCAL_RANK unless the config overrides it
    cfg.model_wrapper_cfg.device_ids = None
    cfg_path = tmp_path / 'ddp_cfg.py'
    cfg.dump(str(cfg_path))
    env = dict(os.environ, OMP_NUM_THREADS='1',
               PYTHONPATH=os.pathsep.join([REPO_ROOT, os.environ.get('PYTHONPATH', '')]))
    cmd = [sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node', '2', '--master_addr',
           '127.0.0.1', '--master_port', str(free_port()), WORKER, str(cfg_path)]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    ranks = [torch.load(tmp_path / f'rank{r}.pth') for r in (0, 1)]
    assert ranks[0].keys() == ranks[1].keys()
    names = {k.replace('.module.', '.') for k in ranks[0]}  # each child is wrapped separately
    assert any(k.startswith('discriminators.aux.') for k in names)
    assert any(k.startswith('auxiliary_head.') for k in names)
    for name in ranks[0]:
        torch.testing.assert_close(ranks[0][name], ranks[1][name], rtol=0, atol=0, msg=name)
