"""``tools/train.py --amp``: every optimizer wrapper becomes an AmpOptimWrapper."""
import pytest
from mmengine.config import Config

from mmseg_mman.engine import enable_amp

SGD = dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=0.0005)
ADAM = dict(type='Adam', lr=0.0002, betas=(0.5, 0.999))


def gan_config(**discriminator_overrides) -> Config:
    discriminator = dict(type='OptimWrapper', optimizer=ADAM)
    discriminator.update(discriminator_overrides)
    return Config(
        dict(
            optim_wrapper=dict(
                constructor='SegGANOptimWrapperConstructor',
                generator=dict(type='OptimWrapper', optimizer=SGD, clip_grad=None),
                discriminator=discriminator)))


def test_single_wrapper_as_mmseg_does():
    cfg = Config(dict(optim_wrapper=dict(type='OptimWrapper', optimizer=SGD)))
    assert enable_amp(cfg) is cfg
    assert cfg.optim_wrapper == dict(type='AmpOptimWrapper', optimizer=SGD, loss_scale='dynamic')


def test_single_wrapper_without_type_defaults_to_optim_wrapper():
    cfg = Config(dict(optim_wrapper=dict(optimizer=SGD)))
    enable_amp(cfg)
    assert cfg.optim_wrapper.type == 'AmpOptimWrapper'
    assert cfg.optim_wrapper.loss_scale == 'dynamic'


def test_every_wrapper_of_a_gan_dict_is_switched():
    cfg = gan_config()
    enable_amp(cfg)
    wrappers = cfg.optim_wrapper
    assert wrappers.constructor == 'SegGANOptimWrapperConstructor'
    for name, optimizer in (('generator', SGD), ('discriminator', ADAM)):
        assert wrappers[name].type == 'AmpOptimWrapper'
        assert wrappers[name].loss_scale == 'dynamic'
        assert wrappers[name].optimizer == optimizer
    assert wrappers.generator.clip_grad is None
    assert 'type' not in wrappers


def test_amp_wrapper_is_kept_as_it_is():
    cfg = gan_config(type='AmpOptimWrapper', loss_scale=512.0)
    enable_amp(cfg)
    assert cfg.optim_wrapper.discriminator.loss_scale == 512.0
    assert cfg.optim_wrapper.generator.type == 'AmpOptimWrapper'


def test_other_wrapper_type_is_rejected_naming_the_key():
    cfg = gan_config(type='ApexOptimWrapper')
    with pytest.raises(ValueError, match=r'optim_wrapper\.discriminator\.type.*ApexOptimWrapper'):
        enable_amp(cfg)
    # Nothing is half-switched.
    assert cfg.optim_wrapper.generator.type == 'OptimWrapper'


@pytest.mark.parametrize('cfg_dict, error', [
    (dict(), KeyError),
    (dict(optim_wrapper=dict(constructor='SegGANOptimWrapperConstructor')), ValueError),
])
def test_config_without_a_wrapper_is_rejected(cfg_dict, error):
    with pytest.raises(error, match='optim_wrapper'):
        enable_amp(Config(cfg_dict))
