"""AdversarialEncoderDecoder in the supervised setting (MMAN): every property through train_step,
predict and the segmentor's public queries."""
import copy

import pytest
import torch
from conftest import (GAN_OPTIM_WRAPPER, LIP_FLIP_PAIRS, MMAN_DISCRIMINATORS, NUM_CLASSES, make_batch,
                      tiny_model_cfg)
from mmengine.logging import MessageHub
from mmengine.model import BaseModel
from mmengine.optim import OptimWrapper, OptimWrapperDict, build_optim_wrapper
from mmengine.structures import PixelData
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

LOW_RES_TEST_CFG = dict(mode='whole', flip_pairs=LIP_FLIP_PAIRS, low_res_prediction=True)


def build(discriminators=MMAN_DISCRIMINATORS, seed=0, adversarial_only=False, **kwargs):
    cfg = tiny_model_cfg(discriminators, **kwargs)
    if adversarial_only:  # no cross-entropy: G's gradient is the adversarial one alone
        cfg['decode_head'].update(
            loss_low=dict(type='CrossEntropyLoss', loss_weight=0.0),
            loss_decode=dict(type='CrossEntropyLoss', loss_weight=0.0))
    torch.manual_seed(seed)
    model = MODELS.build(cfg)
    model.init_weights()
    return model.train()


def set_iter(i):
    MessageHub.get_current_instance().update_info('iter', i)


def snapshot(modules):
    return {
        f'{part}.{k}': v.detach().clone()
        for part, module in modules.items()
        for k, v in module.named_parameters()
    }


def changed(before, modules):
    after = snapshot(modules)
    return {k for k in before if not torch.equal(before[k], after[k])}


def grad_norm(params):
    return sum(float(p.grad.abs().sum()) for p in params if p.grad is not None)


def parameters(modules):
    return [p for module in modules.values() for p in module.parameters()]


class BackwardOnly(OptimWrapper):
    """Back-propagates without stepping or zeroing, so a test reads the gradients a step produced."""

    def update_params(self, loss, **kwargs):
        self.backward(loss)


def backward_only_wrappers(model):
    return OptimWrapperDict(
        generator=BackwardOnly(torch.optim.SGD(parameters(model.generator_modules()), lr=0.0)),
        discriminator=BackwardOnly(torch.optim.SGD(parameters(model.discriminator_modules()), lr=0.0)))


def generator_gradients_of(discriminators, batch, **kwargs):
    """The model after one train_step whose G gradient is the adversarial term alone."""
    set_iter(0)
    model = build(discriminators, adversarial_only=True, **kwargs)
    model.train_step(batch, backward_only_wrappers(model))
    return model


def spy_on(wrapper, record):
    """Call ``record()`` right before and after ``wrapper.update_params``; count its steps."""
    update, step = wrapper.update_params, wrapper.step
    wrapper.steps = 0

    def update_params(loss, **kwargs):
        record('before')
        update(loss, **kwargs)
        record('after')

    def counted_step(**kwargs):
        wrapper.steps += 1
        step(**kwargs)

    wrapper.update_params, wrapper.step = update_params, counted_step


# ----------------------------------------------------------------------------------- the step


def test_train_step_logs_every_loss_term_and_discriminator_scores(batch):
    set_iter(0)
    model = build()
    log_vars = model.train_step(batch, build_optim_wrapper(model, GAN_OPTIM_WRAPPER))
    expected = {
        'loss', 'decode.loss_ce', 'decode.loss_ce_low', 'decode.acc_seg', 'adv.loss_macro', 'adv.loss_micro',
        'disc_loss'
    }
    for name in ('macro', 'micro'):
        expected |= {f'disc_{name}.{k}' for k in ('loss_real', 'loss_fake', 'score_real', 'score_fake')}
    assert set(log_vars) == expected
    # the generator's total is CE (weights 100 and 25) plus the adversarial terms, nothing from D
    total = sum(log_vars[k]
                for k in ('decode.loss_ce', 'decode.loss_ce_low', 'adv.loss_macro', 'adv.loss_micro'))
    torch.testing.assert_close(torch.as_tensor(log_vars['loss']), torch.as_tensor(total))
    d_total = sum(log_vars[f'disc_{n}.loss_{side}'] for n in ('macro', 'micro') for side in ('real', 'fake'))
    torch.testing.assert_close(torch.as_tensor(log_vars['disc_loss']), torch.as_tensor(d_total))
    for name in ('macro', 'micro'):  # a fresh vanilla D scores near 0.5 on both sides
        assert 0.0 < log_vars[f'disc_{name}.score_real'] < 1.0


def test_macro_gradient_reaches_the_generator(batch):
    """Regression test for the authors' code, which detaches the low-res map before Macro D."""
    model = generator_gradients_of(dict(macro=MMAN_DISCRIMINATORS['macro']), batch)
    head = model.decode_head
    assert grad_norm(head.low_fuse.parameters()) > 0
    assert grad_norm(model.backbone.parameters()) > 0
    assert grad_norm(head.conv_seg.parameters()) == 0  # Macro D judges the low-res output only


def test_micro_gradient_reaches_the_full_resolution_branch(batch):
    model = generator_gradients_of(dict(micro=MMAN_DISCRIMINATORS['micro']), batch)
    assert grad_norm(model.decode_head.conv_seg.parameters()) > 0
    assert grad_norm(model.decode_head.low_fuse.parameters()) == 0


def test_reproducing_the_detach_defect_is_explicit(batch):
    macro = dict(MMAN_DISCRIMINATORS['macro'], grad_to_generator=False)
    model = generator_gradients_of(dict(macro=macro), batch)
    assert grad_norm(model.decode_head.low_fuse.parameters()) == 0


@pytest.mark.parametrize('update_order', ['discriminator_first', 'simultaneous'])
def test_generator_step_puts_no_gradient_into_discriminators(batch, update_order):
    """G's adversarial terms go through frozen discriminators: D's gradients hold its own loss only."""
    set_iter(0)
    model = build(update_order=update_order)
    wrappers = build_optim_wrapper(model, GAN_OPTIM_WRAPPER)
    d_params = parameters(model.discriminator_modules())
    seen = {}
    spy_on(wrappers['discriminator'], lambda when: seen.setdefault(when, [p.grad for p in d_params]))
    model.train_step(batch, wrappers)
    assert all(grad is None for grad in seen['before'])  # nothing from an earlier G step
    assert all(p.grad is None for p in d_params)  # nothing from a later one
    assert all(p.requires_grad for p in d_params)  # unfrozen afterwards


@pytest.mark.parametrize('update_order', ['discriminator_first', 'simultaneous'])
def test_discriminator_step_puts_no_gradient_into_the_generator(batch, update_order):
    """The discriminators learn from detached maps."""
    set_iter(0)
    model = build(update_order=update_order)
    wrappers = build_optim_wrapper(model, GAN_OPTIM_WRAPPER)
    g_params = [p for p in parameters(model.generator_modules()) if p.requires_grad]
    seen = {}
    spy_on(wrappers['discriminator'], lambda when: seen.setdefault(when, [p.grad for p in g_params]))
    model.train_step(batch, wrappers)
    if update_order == 'discriminator_first':
        assert all(grad is None for grad in seen['after'])
    else:  # G stepped and zeroed its gradients before D's step; D's step must add none
        assert all(grad is None for grad in seen['before']) and all(grad is None for grad in seen['after'])


@pytest.mark.parametrize('it, d_steps', [(0, 1), (1, 0)])
def test_each_optimizer_steps_once_and_moves_only_its_own_weights(batch, it, d_steps):
    set_iter(it)
    model = build(disc_update_interval=2)
    wrappers = build_optim_wrapper(model, GAN_OPTIM_WRAPPER)
    g_modules, d_modules = model.generator_modules(), model.discriminator_modules()
    g_before, d_before = snapshot(g_modules), snapshot(d_modules)
    seen = {}
    for key in ('generator', 'discriminator'):
        spy_on(
            wrappers[key],
            lambda when, key=key: seen.__setitem__(
                (key, when), (changed(g_before, g_modules), changed(d_before, d_modules))))
    model.train_step(batch, wrappers)
    assert wrappers['generator'].steps == 1 and wrappers['discriminator'].steps == d_steps
    if d_steps:
        assert seen['discriminator', 'after'][0] == set() and seen['discriminator', 'after'][1]
    g_moved, d_moved = seen['generator', 'after']
    assert g_moved and d_moved == seen['generator', 'before'][1], 'the G step must not move D'


def test_one_generator_forward_per_iteration(batch):
    set_iter(0)
    model = build()
    calls = []
    model.backbone.register_forward_hook(lambda *args: calls.append(1))
    model.train_step(batch, build_optim_wrapper(model, GAN_OPTIM_WRAPPER))
    assert len(calls) == 1


@pytest.mark.parametrize('kwargs, it, updates_d, adversarial', [
    (dict(disc_update_interval=2), 1, False, True),
    (dict(disc_update_interval=2), 4, True, True),
    (dict(disc_warmup_iters=5), 3, True, False),
    (dict(disc_warmup_iters=5), 5, True, True),
])
def test_discriminator_schedule(batch, kwargs, it, updates_d, adversarial):
    set_iter(it)
    model = build(**kwargs)
    log_vars = model.train_step(batch, build_optim_wrapper(model, GAN_OPTIM_WRAPPER))
    assert ('disc_loss' in log_vars) == updates_d == model.updates_discriminators_at(it)
    assert ('adv.loss_macro' in log_vars) == adversarial


def test_update_probability_is_a_deterministic_function_of_the_iteration():
    first, again, other = (build(disc_update_prob=0.1, disc_update_seed=seed) for seed in (3, 3, 4))
    draws = [first.updates_discriminators_at(i) for i in range(2000)]
    assert draws == [first.updates_discriminators_at(i) for i in range(2000)]  # e.g. after a resume
    assert draws == [again.updates_discriminators_at(i) for i in range(2000)]  # e.g. on another rank
    assert draws != [other.updates_discriminators_at(i) for i in range(2000)]
    assert 0.07 < sum(draws) / len(draws) < 0.13


def test_discriminators_see_image_and_label_maps_at_the_output_resolution(batch):
    """What each D is fed in train_step: real (one-hot) and fake (softmax) maps beside the image."""
    set_iter(0)
    model = build()
    fed = {}
    for name, discriminator in model.discriminator_modules().items():
        discriminator.register_forward_pre_hook(lambda m, args, name=name: fed.setdefault(name, args[0]))
    model.train_step(batch, build_optim_wrapper(model, GAN_OPTIM_WRAPPER))
    shapes = model.discriminator_input_shapes(torch.zeros(2, 3, 64, 64))
    assert shapes == dict(macro=(2, 3 + NUM_CLASSES, 4, 4), micro=(2, 3 + NUM_CLASSES, 64, 64))
    for name, pair in fed.items():
        real, fake = pair.split(2)  # the D step scores real and fake in one call
        assert real.shape == fake.shape == shapes[name]
        assert torch.equal(real[:, :3], fake[:, :3])
        assert set(real[:, 3:].unique().tolist()) == {0.0, 1.0}


def test_baseline_without_discriminators_matches_mmengine_default_step(batch):
    models = [build(None, seed=1), build(None, seed=1)]
    wrappers = [OptimWrapper(torch.optim.SGD(m.parameters(), lr=0.1)) for m in models]
    ours = models[0].train_step(batch, wrappers[0])
    default = BaseModel.train_step(models[1], batch, wrappers[1])
    torch.testing.assert_close(ours['loss'], default['loss'])
    for a, b in zip(models[0].parameters(), models[1].parameters()):
        torch.testing.assert_close(a, b)


# ------------------------------------------------------------------------- what others ask


def test_the_segmentor_names_its_parts_outputs_and_state_dict_prefix():
    model = build()
    assert set(model.generator_modules()) == {'backbone', 'decode_head'}
    assert set(model.discriminator_modules()) == {'macro', 'micro'}
    assert model.output_names == ('low', 'high')
    assert (model.judged_output('macro'), model.judged_output('micro')) == ('low', 'high')
    state_dict = model.state_dict()
    generator = model.generator_state_dict(state_dict)
    assert {k.split('.')[0] for k in generator} == set(model.generator_modules())
    dropped = set(state_dict) - set(generator)
    discriminator_params = {
        f'{model.DISCRIMINATOR_PREFIX}{name}.{k}'
        for name, d in model.discriminator_modules().items()
        for k in d.state_dict()
    }
    assert dropped == discriminator_params
    feats = model.extract_feat(torch.zeros(1, 3, 64, 64))
    assert {k: v.shape[2:] for k, v in model.named_outputs(feats).items()} == dict(low=(4, 4), high=(64, 64))


# ---------------------------------------------------------------------------------- prediction


def test_predict_runs_no_discriminator_and_no_low_res_branch_unless_asked():
    model = build().eval()
    for d in model.discriminator_modules().values():
        d.forward = None  # any call would fail
    calls = []
    model.decode_head.low_fuse.register_forward_hook(lambda *args: calls.append(1))
    with torch.no_grad():
        result = model.test_step(make_batch(batch_size=1, size=64))[0]
    assert result.pred_sem_seg.data.shape == (1, 64, 64)
    assert result.seg_logits.data.shape == (NUM_CLASSES, 64, 64)
    assert 'pred_sem_seg_low' not in result and calls == []


def test_low_res_prediction_when_asked():
    model = build(test_cfg=LOW_RES_TEST_CFG).eval()
    batch = make_batch(batch_size=1, size=64)
    with torch.no_grad():
        result = model.test_step(batch)[0]
        low = model.decode_head(model.extract_feat(model.data_preprocessor(batch)['inputs']))[0]
    assert result.pred_sem_seg_low.data.shape == (1, 4, 4)
    assert torch.equal(result.pred_sem_seg_low.data[0], low[0].argmax(0))


def test_low_res_prediction_needs_a_head_with_a_low_resolution_output():
    aspp = dict(
        type='ASPPHead', in_channels=512, in_index=3, channels=8, dilations=(1, 2), num_classes=NUM_CLASSES)
    with pytest.raises(ValueError, match='low_res_prediction=True.*ASPPHead'):
        build(None, decode_head=aspp, test_cfg=LOW_RES_TEST_CFG)


def test_flipped_view_swaps_left_and_right_channels():
    """A left arm (14) seen in a horizontally flipped view must come back as a left arm."""
    model = build().eval()
    sample = make_batch(batch_size=1, size=8)['data_samples'][0]
    sample.set_metainfo(dict(flip=True, flip_direction='horizontal', img_shape=(8, 8), ori_shape=(8, 8)))
    logits = torch.zeros(1, NUM_CLASSES, 8, 8)
    logits[0, 15, :, :4] = 1.0  # the flipped view sees the person's left arm as a right arm
    pred = model.postprocess_result(logits, [sample])[0].pred_sem_seg.data[0]
    assert (pred[:, 4:] == 14).all()
    model.test_cfg['flip_pairs'] = None
    unswapped = model.postprocess_result(logits, [sample])[0].pred_sem_seg.data[0]
    assert (unswapped[:, 4:] == 15).all()


def test_image_size_not_a_multiple_of_the_output_stride_is_padded_then_cropped_back():
    model = build(test_cfg=LOW_RES_TEST_CFG).eval()
    model.data_preprocessor.test_cfg = dict(size_divisor=16)
    sample = SegDataSample(gt_sem_seg=PixelData(data=torch.zeros(1, 50, 70, dtype=torch.long)))
    sample.set_metainfo(dict(img_shape=(50, 70), ori_shape=(50, 70)))
    batch = dict(inputs=[torch.randint(0, 256, (3, 50, 70)).float()], data_samples=[sample])
    with torch.no_grad():
        result = model.test_step(batch)[0]
    assert tuple(result.img_padding_size) == (0, 10, 0, 14)  # padded to 64 x 80
    assert result.pred_sem_seg.data.shape == (1, 50, 70)
    assert result.pred_sem_seg_low.data.shape == (1, 3, 4)  # the 4 x 5 map without its padded border


# ------------------------------------------------------------------------------ configuration


def test_discriminator_on_missing_output_is_rejected():
    with pytest.raises(ValueError, match=r"discriminators.third.output='mid'.*\('low', 'high'\)"):
        build(dict(third=dict(type='MicroDiscriminator', output='mid')))


def test_discriminator_class_count_must_match_head():
    with pytest.raises(ValueError, match=r'discriminators.macro.in_channels=22.*LabelMapInput.*= 23'):
        build(dict(macro=dict(type='MacroDiscriminator', output='low', in_channels=22)))


def test_discriminator_inputs_must_be_an_adversarial_input():
    with pytest.raises(TypeError, match=r'discriminators.macro.inputs builds a GANLoss'):
        build(dict(macro=dict(MMAN_DISCRIMINATORS['macro'], inputs=dict(type='GANLoss'))))


def test_discriminators_need_a_gan_optim_wrapper(batch):
    model = build()
    with pytest.raises(TypeError, match='SegGANOptimWrapperConstructor'):
        model.train_step(batch, OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.1)))


@pytest.mark.parametrize('kwargs, match', [
    (dict(update_order='generator_first'), "update_order='generator_first'"),
    (dict(disc_update_interval=0), 'disc_update_interval=0'),
    (dict(disc_update_prob=0.0), 'disc_update_prob=0.0'),
])
def test_bad_settings_are_rejected(kwargs, match):
    with pytest.raises(ValueError, match=match):
        build(copy.deepcopy(MMAN_DISCRIMINATORS), **kwargs)
