import torch
from conftest import tiny_runner_cfg
from mmengine.config import Config
from mmengine.runner import Runner

from mmseg_mman.utils import register_safe_checkpoint_loader, trusted_checkpoints


def train(cfg: dict, name: str, resume_from: str = None) -> None:
    cfg = Config(cfg)
    cfg.experiment_name = name
    if resume_from:
        cfg.resume, cfg.load_from = True, resume_from
    register_safe_checkpoint_loader()
    with trusted_checkpoints(*([resume_from] if resume_from else [])):
        Runner.from_cfg(cfg).train()


def load(path):
    # our own training checkpoints: full unpickling is fine here
    return torch.load(path, map_location='cpu', weights_only=False)


def test_resume_gives_exactly_the_weights_of_an_uninterrupted_run(synthetic_lip, tmp_path):
    kwargs = dict(max_iters=4, disc_update_prob=0.5)
    full_dir, resumed_dir = tmp_path / 'full', tmp_path / 'resumed'
    train(tiny_runner_cfg(synthetic_lip, str(full_dir), **kwargs), 'full')
    train(
        tiny_runner_cfg(synthetic_lip, str(resumed_dir), **kwargs),
        'resumed',
        resume_from=str(full_dir / 'iter_2.pth'))
    full, resumed = load(full_dir / 'iter_4.pth'), load(resumed_dir / 'iter_4.pth')
    halfway = load(full_dir / 'iter_2.pth')
    assert resumed['meta']['iter'] == 4
    assert set(full['optimizer']) == {'generator', 'discriminator'}
    d_keys = [k for k in full['state_dict'] if k.startswith('discriminators.')]
    assert d_keys and any(not torch.equal(full['state_dict'][k], halfway['state_dict'][k]) for k in d_keys)
    for key, value in full['state_dict'].items():
        torch.testing.assert_close(resumed['state_dict'][key], value, rtol=0, atol=0, msg=key)
    for opt in ('generator', 'discriminator'):
        lrs = [g['lr'] for g in resumed['optimizer'][opt]['param_groups']]
        assert lrs == [g['lr'] for g in full['optimizer'][opt]['param_groups']]
    for opt in ('generator', 'discriminator'):
        assert resumed['param_schedulers'][opt] == full['param_schedulers'][opt]
        assert resumed['param_schedulers'][opt][0]['_last_value'] == [1e-4]  # lr /10 after iter 2
