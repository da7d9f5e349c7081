import copy

import pytest
import torch
from conftest import GAN_OPTIM_WRAPPER, MMAN_DISCRIMINATORS, NUM_CLASSES, make_batch, tiny_model_cfg
from mmengine.logging import MessageHub
from mmengine.model import BaseModel
from mmengine.optim import OptimWrapper, build_optim_wrapper
from mmengine.structures import PixelData
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

from mmseg_mman.models.segmentors.adversarial_encoder_decoder import frozen


def build(discriminators=MMAN_DISCRIMINATORS, seed=0, **kwargs):
    torch.manual_seed(seed)
    model = MODELS.build(tiny_model_cfg(discriminators, **kwargs))
    model.init_weights()
    return model.train()


def set_iter(i):
    MessageHub.get_current_instance().update_info('iter', i)


def snapshot(module):
    return {k: v.detach().clone() for k, v in module.named_parameters()}


def changed(before, module):
    after = snapshot(module)
    return {k for k in before if not torch.equal(before[k], after[k])}


def generator_parts(model):
    return torch.nn.ModuleDict(dict(backbone=model.backbone, decode_head=model.decode_head))


def adversarial_grads(model, batch, name):
    """Gradients of G's adversarial loss for discriminator ``name`` alone."""
    data = model.data_preprocessor(batch, True)
    feats = model.extract_feat(data['inputs'])
    raw, outputs = model._head_outputs(feats)
    pairs = model._real_and_fake(data['inputs'], outputs, data['data_samples'])
    model.zero_grad()
    with frozen(model.discriminators):
        loss = model._generator_adversarial_losses({name: pairs[name]})[f'adv.loss_{name}']
    if loss.requires_grad:
        loss.backward()
    return model


def grad_norm(params):
    return sum(float(p.grad.abs().sum()) for p in params if p.grad is not None)


def test_train_step_logs_every_loss_term_and_discriminator_scores(batch):
    set_iter(0)
    model = build()
    log_vars = model.train_step(batch, build_optim_wrapper(model, GAN_OPTIM_WRAPPER))
    expected = {'loss', 'decode.loss_ce', 'decode.loss_ce_low', 'decode.acc_seg', 'adv.loss_macro',
                'adv.loss_micro', 'disc_loss'}
    for name in ('macro', 'micro'):
        expected |= {f'disc_{name}.{k}' for k in ('loss_real', 'loss_fake', 'score_real', 'score_fake')}
    assert set(log_vars) == expected
    assert all(torch.isfinite(torch.as_tensor(v)) for v in log_vars.values())
    # the generator's total is CE (weights 100 and 25) plus the adversarial terms, nothing from D
    total = sum(log_vars[k] for k in ('decode.loss_ce', 'decode.loss_ce_low', 'adv.loss_macro',
                                       'adv.loss_micro'))
    torch.testing.assert_close(torch.as_tensor(log_vars['loss']), torch.as_tensor(total))


def test_macro_gradient_reaches_the_generator(batch):
    """Regression test for the authors' code, which detaches the low-res map before Macro D."""
    model = adversarial_grads(build(), batch, 'macro')
    head = model.decode_head
    assert grad_norm(head.low_fuse.parameters()) > 0
    assert grad_norm(model.backbone.parameters()) > 0
    assert grad_norm(head.conv_seg.parameters()) == 0  # Macro D judges the low-res output only


def test_micro_gradient_reaches_the_full_resolution_branch(batch):
    model = adversarial_grads(build(), batch, 'micro')
    assert grad_norm(model.decode_head.conv_seg.parameters()) > 0
    assert grad_norm(model.decode_head.low_fuse.parameters()) == 0


def test_generator_step_puts_no_gradient_into_discriminators(batch):
    model = adversarial_grads(build(), batch, 'macro')
    assert all(p.grad is None for p in model.discriminators.parameters())
    assert all(p.requires_grad for p in model.discriminators.parameters())  # unfrozen afterwards


def test_reproducing_the_detach_defect_is_explicit(batch):
    discriminators = copy.deepcopy(MMAN_DISCRIMINATORS)
    discriminators['macro']['grad_to_generator'] = False
    model = adversarial_grads(build(discriminators), batch, 'macro')
    assert grad_norm(model.decode_head.low_fuse.parameters()) == 0


def test_each_step_changes_only_its_own_weights(batch):
    set_iter(0)
    model = build()
    optim_wrapper = build_optim_wrapper(model, GAN_OPTIM_WRAPPER)
    g_before, d_before = snapshot(generator_parts(model)), snapshot(model.discriminators)
    seen = {}

    def spy(key, update):
        def wrapped(loss, **kwargs):
            update(loss, **kwargs)
            seen[key] = (changed(g_before, generator_parts(model)), changed(d_before, model.discriminators))
        return wrapped

    for key in ('generator', 'discriminator'):
        wrapper = optim_wrapper[key]
        wrapper.update_params = spy(key, wrapper.update_params)
    model.train_step(batch, optim_wrapper)
    g_after_d, d_after_d = seen['discriminator']
    assert g_after_d == set() and len(d_after_d) > 0
    g_after_g, d_after_g = seen['generator']
    assert d_after_g == d_after_d, 'the G step must not move D'
    assert len(g_after_g) > 0


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
    assert ('disc_loss' in log_vars) == updates_d
    assert ('adv.loss_macro' in log_vars) == adversarial


def test_update_probability_is_a_deterministic_function_of_the_iteration():
    model = build(disc_update_prob=0.1, disc_update_seed=3)
    draws = [model._should_update_discriminators(i) for i in range(2000)]
    assert draws == [model._should_update_discriminators(i) for i in range(2000)]
    assert 0.07 < sum(draws) / len(draws) < 0.13


def test_real_is_one_hot_and_fake_is_softmax_with_ignored_pixels_zeroed(batch):
    model = build()
    data = model.data_preprocessor(batch, True)
    _, outputs = model._head_outputs(model.extract_feat(data['inputs']))
    real, fake = model._real_and_fake(data['inputs'], outputs, data['data_samples'])['micro']
    assert real.shape == fake.shape == (2, 3 + NUM_CLASSES, 64, 64)
    torch.testing.assert_close(real[:, :3], fake[:, :3])  # same image in both
    ignored = data['data_samples'][0].gt_sem_seg.data[0] == 255
    assert ignored.any()
    for maps in (real[0, 3:], fake[0, 3:]):
        assert maps[:, ignored].abs().sum() == 0
        torch.testing.assert_close(maps[:, ~ignored].sum(0), torch.ones(int((~ignored).sum())))
    assert set(real[:, 3:].unique().tolist()) == {0.0, 1.0}


def test_baseline_without_discriminators_matches_mmengine_default_step(batch):
    models = [build(None, seed=1), build(None, seed=1)]
    wrappers = [OptimWrapper(torch.optim.SGD(m.parameters(), lr=0.1)) for m in models]
    ours = models[0].train_step(batch, wrappers[0])
    default = BaseModel.train_step(models[1], batch, wrappers[1])
    torch.testing.assert_close(ours['loss'], default['loss'])
    for a, b in zip(models[0].parameters(), models[1].parameters()):
        torch.testing.assert_close(a, b)


def test_predict_runs_no_discriminator_and_returns_both_resolutions():
    model = build().eval()
    for d in model.discriminators.values():
        d.forward = None  # any call would fail
    batch = make_batch(batch_size=1, size=64)
    with torch.no_grad():
        result = model.test_step(batch)[0]
    assert result.pred_sem_seg.data.shape == (1, 64, 64)
    assert result.seg_logits.data.shape == (NUM_CLASSES, 64, 64)
    assert result.pred_sem_seg_low.data.shape == (1, 4, 4)


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


def test_discriminator_on_missing_output_is_rejected():
    with pytest.raises(ValueError, match=r"discriminators.third.output='mid'.*\('low', 'high'\)"):
        build(dict(third=dict(type='MicroDiscriminator', output='mid')))


def test_discriminator_class_count_must_match_head():
    with pytest.raises(ValueError, match=r'discriminators.macro.in_channels=22.*23'):
        build(dict(macro=dict(type='MacroDiscriminator', output='low', in_channels=22)))


def test_discriminators_need_a_gan_optim_wrapper(batch):
    model = build()
    with pytest.raises(TypeError, match='SegGANOptimWrapperConstructor'):
        model.train_step(batch, OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.1)))


def test_image_size_not_a_multiple_of_the_output_stride_is_padded_then_cropped_back():
    model = build().eval()
    model.data_preprocessor.test_cfg = dict(size_divisor=16)
    sample = SegDataSample(gt_sem_seg=PixelData(data=torch.zeros(1, 50, 70, dtype=torch.long)))
    sample.set_metainfo(dict(img_shape=(50, 70), ori_shape=(50, 70)))
    batch = dict(inputs=[torch.randint(0, 256, (3, 50, 70)).float()], data_samples=[sample])
    with torch.no_grad():
        result = model.test_step(batch)[0]
    assert tuple(result.img_padding_size) == (0, 10, 0, 14)  # padded to 64 x 80
    assert result.pred_sem_seg.data.shape == (1, 50, 70)
    assert result.pred_sem_seg_low.data.shape == (1, 3, 4)  # the 4 x 5 map without its padded border
