import copy

import pytest
import torch
from conftest import GAN_OPTIM_WRAPPER, MMAN_DISCRIMINATORS, tiny_model_cfg
from mmengine.optim import OptimWrapperDict, build_optim_wrapper
from mmseg.registry import MODELS


@pytest.fixture(scope='module')
def model():
    return MODELS.build(tiny_model_cfg(MMAN_DISCRIMINATORS))


def optim_cfg(**changes):
    cfg = copy.deepcopy(GAN_OPTIM_WRAPPER)
    for key, value in changes.items():
        if isinstance(value, dict) and key in cfg:
            cfg[key].update(value)
        else:
            cfg[key] = value
    return cfg


def param_ids(optim_wrapper):
    return {id(p) for group in optim_wrapper.optimizer.param_groups for p in group['params']}


def test_generator_and_discriminator_own_disjoint_complete_parameter_sets(model):
    wrappers = build_optim_wrapper(model, GAN_OPTIM_WRAPPER)
    assert isinstance(wrappers, OptimWrapperDict) and set(wrappers.keys()) == {'generator', 'discriminator'}
    g, d = param_ids(wrappers['generator']), param_ids(wrappers['discriminator'])
    assert d == {id(p) for p in model.discriminators.parameters()}
    assert g == {id(p) for n, p in model.named_parameters() if not n.startswith('discriminators')}


def test_paramwise_cfg_is_honoured_with_mmseg_parameter_names(model):
    cfg = optim_cfg(generator=dict(paramwise_cfg=dict(custom_keys={'backbone': dict(lr_mult=0.1)})))
    groups = build_optim_wrapper(model, cfg)['generator'].optimizer.param_groups
    backbone = {id(p) for p in model.backbone.parameters()}
    lrs = {round(group['lr'], 8) for group in groups if id(group['params'][0]) in backbone}
    others = {round(group['lr'], 8) for group in groups if id(group['params'][0]) not in backbone}
    assert lrs == {1e-4} and others == {1e-3}


def test_baseline_with_generator_only(model):
    baseline = MODELS.build(tiny_model_cfg(None))
    wrappers = build_optim_wrapper(
        baseline, dict(constructor='SegGANOptimWrapperConstructor', generator=GAN_OPTIM_WRAPPER['generator']))
    assert list(wrappers.keys()) == ['generator']


@pytest.mark.parametrize('cfg, message', [
    (optim_cfg(critic=dict(type='OptimWrapper', optimizer=dict(type='Adam'))), r'optim_wrapper.critic'),
    (optim_cfg(optimizer=dict(type='SGD', lr=0.01)), r'optim_wrapper.optimizer.*_delete_=True'),
    (optim_cfg(type='OptimWrapper'), r'optim_wrapper.type.*_delete_=True'),
    (optim_cfg(generator=dict(accumulative_counts=2)), r'optim_wrapper.generator.accumulative_counts=2'),
    (optim_cfg(discriminator=dict(paramwise_cfg=dict(custom_keys={'head': dict(lr_mult=2.0)}))),
     r"optim_wrapper.discriminator.paramwise_cfg.custom_keys\['head'\]"),
    ({
        k: v
        for k, v in GAN_OPTIM_WRAPPER.items() if k != 'generator'
    }, 'optim_wrapper.generator is missing'),
])
def test_bad_configs_fail_at_build_time_naming_the_key(model, cfg, message):
    with pytest.raises(ValueError, match=message):
        build_optim_wrapper(model, cfg)


def test_discriminator_optimizer_for_a_model_without_discriminators_is_rejected():
    baseline = MODELS.build(tiny_model_cfg(None))
    with pytest.raises(ValueError, match='optim_wrapper.discriminator matches no trainable module'):
        build_optim_wrapper(baseline, GAN_OPTIM_WRAPPER)


def test_top_level_paramwise_cfg_is_rejected(model):
    with pytest.raises(ValueError, match='optim_wrapper.paramwise_cfg'):
        build_optim_wrapper(model, optim_cfg(paramwise_cfg=dict(norm_decay_mult=0.0)))


def test_adam_settings_reach_each_optimizer(model):
    cfg = optim_cfg(discriminator=dict(optimizer=dict(type='Adam', lr=5e-4, betas=(0.5, 0.999))))
    wrappers = build_optim_wrapper(model, cfg)
    assert isinstance(wrappers['discriminator'].optimizer, torch.optim.Adam)
    assert wrappers['discriminator'].optimizer.param_groups[0]['betas'] == (0.5, 0.999)
    assert wrappers['generator'].optimizer.param_groups[0]['lr'] == 1e-3
