"""AdaptSegNet under 2-process gloo DDP: G runs forward twice per step (source, then target) through the
separately wrapped backbone and heads; the ranks must stay identical."""
import os.path as osp

import torch
from conftest import REPO_ROOT, train_on_two_cpu_ranks
from mmengine.config import Config

from mmseg_mman.synthetic import generate_synthetic_domains

CONFIG = osp.join(REPO_ROOT, 'configs/demo/adaptsegnet_r18-d4_1xb8-1k_synthetic-domains-32x32.py')


def test_two_process_gloo_adaptation_keeps_ranks_identical(tmp_path):
    data_root = str(tmp_path / 'data')
    generate_synthetic_domains(data_root, num_train=8, num_val=2, img_size=32, seed=0)
    cfg = Config.fromfile(CONFIG)
    dataset = cfg.train_dataloader.dataset
    for domain in (dataset.source, dataset.target, cfg.val_dataloader.dataset, cfg.test_dataloader.dataset):
        domain.data_root = data_root
    cfg.train_dataloader.batch_size = 2
    cfg.train_cfg.max_iters = 3
    cfg.train_cfg.val_interval = cfg.default_hooks.checkpoint.interval = 100
    ranks = train_on_two_cpu_ranks(cfg, str(tmp_path))
    assert ranks[0].keys() == ranks[1].keys()
    names = {k.replace('.module.', '.') for k in ranks[0]}  # each child is wrapped separately
    assert any(k.startswith('discriminators.aux.') for k in names)
    assert any(k.startswith('auxiliary_head.') for k in names)
    for name in ranks[0]:
        torch.testing.assert_close(ranks[0][name], ranks[1][name], rtol=0, atol=0, msg=name)
