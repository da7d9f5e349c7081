import os
import os.path as osp
import socket
import subprocess
import sys

import torch
from conftest import tiny_runner_cfg
from mmengine.config import Config

WORKER = osp.join(osp.dirname(__file__), 'ddp_train_worker.py')
REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def test_two_process_gloo_training_keeps_ranks_identical(synthetic_lip, tmp_path):
    cfg = tiny_runner_cfg(synthetic_lip, str(tmp_path), max_iters=3, disc_update_prob=0.5)
    # CPU modules take no device_ids; mmengine passes LOCAL_RANK unless the config overrides it
    cfg['model_wrapper_cfg']['device_ids'] = None
    cfg['default_hooks']['checkpoint']['interval'] = 100
    cfg['train_cfg']['val_interval'] = 100
    cfg_path = tmp_path / 'ddp_cfg.py'
    Config(cfg).dump(str(cfg_path))
    env = dict(os.environ, OMP_NUM_THREADS='1',
               PYTHONPATH=os.pathsep.join([REPO_ROOT, os.environ.get('PYTHONPATH', '')]))
    cmd = [sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node', '2',
           '--master_addr', '127.0.0.1', '--master_port', str(free_port()), WORKER, str(cfg_path)]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    ranks = [torch.load(tmp_path / f'rank{r}.pth') for r in (0, 1)]
    initial = {k: v for k, v in ranks[0].items()}
    assert ranks[0].keys() == ranks[1].keys()
    assert any(k.startswith('discriminators.') for k in initial)
    for name in ranks[0]:
        torch.testing.assert_close(ranks[0][name], ranks[1][name], rtol=0, atol=0, msg=name)
