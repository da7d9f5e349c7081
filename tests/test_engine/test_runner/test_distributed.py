import torch
from conftest import tiny_runner_cfg, train_on_two_cpu_ranks
from mmengine.config import Config


def test_two_process_gloo_training_keeps_ranks_identical(synthetic_lip, tmp_path):
    cfg = Config(tiny_runner_cfg(synthetic_lip, str(tmp_path), max_iters=3, disc_update_prob=0.5))
    cfg.default_hooks.checkpoint.interval = cfg.train_cfg.val_interval = 100
    ranks = train_on_two_cpu_ranks(cfg, str(tmp_path))
    assert ranks[0].keys() == ranks[1].keys()
    assert any(k.startswith('discriminators.') for k in ranks[0])
    for name in ranks[0]:
        torch.testing.assert_close(ranks[0][name], ranks[1][name], rtol=0, atol=0, msg=name)
