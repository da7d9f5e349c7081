"""AdversarialEncoderDecoder in domain-adaptation mode (AdaptSegNet): source vs target softmax maps."""
import copy

import pytest
import torch
import torch.nn.functional as F
from conftest import tiny_model_cfg
from mmengine.logging import MessageHub
from mmengine.optim import OptimWrapper, build_optim_wrapper
from mmengine.structures import PixelData
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

NUM_CLASSES = 5
SIZE = 32
MEAN, STD = [123.675, 116.28, 103.53], [58.395, 57.12, 57.375]
LAMBDA_AUX, LAMBDA_MAIN, LAMBDA_SEG_AUX = 0.02, 0.1, 0.1
DOMAIN_INPUTS = dict(type='DomainOutputInput', resize_to_input=True)
DISCRIMINATORS = dict(
    aux=dict(
        type='ConvDiscriminator',
        output='aux',
        inputs=DOMAIN_INPUTS,
        num_convs=3,
        base_channels=8,
        norm_cfg=None,
        loss_weight=LAMBDA_AUX),
    main=dict(
        type='ConvDiscriminator',
        output='high',
        inputs=DOMAIN_INPUTS,
        num_convs=3,
        base_channels=8,
        norm_cfg=None,
        loss_weight=LAMBDA_MAIN))
G_LR, D_LR = 0.01, 1e-3
# Adam's eps is raised from 1e-8: its first steps are lr * g / (|g| + eps), which turns float rounding
# in near-zero gradients into differences of up to lr between two equivalent implementations.
D_ADAM = dict(lr=D_LR, betas=(0.9, 0.99), eps=1e-4)
OPTIM_WRAPPER = dict(
    constructor='SegGANOptimWrapperConstructor',
    generator=dict(type='OptimWrapper', optimizer=dict(type='SGD', lr=G_LR, momentum=0.9, weight_decay=5e-4)),
    discriminator=dict(type='OptimWrapper', optimizer=dict(type='Adam', **D_ADAM)))


def head(in_channels, in_index, loss_weight=1.0):
    return dict(
        type='DeepLabV2Head',
        in_channels=in_channels,
        in_index=in_index,
        dilations=(1, 2),
        num_classes=NUM_CLASSES,
        loss_decode=dict(type='CrossEntropyLoss', loss_weight=loss_weight, avg_non_ignore=True))


def generator_cfg() -> dict:
    """ResNetV1c-18 (frozen BN statistics) with DeepLab-v2 heads on layer4 and layer3."""
    cfg = tiny_model_cfg(None, size=SIZE)
    cfg.update(
        decode_head=head(512, 3), auxiliary_head=head(256, 2, LAMBDA_SEG_AUX), test_cfg=dict(mode='whole'))
    cfg['data_preprocessor'].update(type='DomainAdaptationDataPreProcessor', bgr_to_rgb=False)
    return cfg


def build(discriminators=DISCRIMINATORS, seed=0, **kwargs):
    cfg = generator_cfg()
    cfg.update(discriminators=copy.deepcopy(discriminators), update_order='simultaneous')
    cfg.update(kwargs)
    torch.manual_seed(seed)
    model = MODELS.build(cfg)
    model.init_weights()
    return model.train()


def sample(label=None, size=(SIZE, SIZE)):
    data_sample = SegDataSample()
    if label is not None:
        data_sample.gt_sem_seg = PixelData(data=label)
    data_sample.set_metainfo(dict(img_shape=size, ori_shape=size))
    return data_sample


def make_batch(seed=0, n=2, target_labels='none', target_size=(SIZE, SIZE)):
    """Raw two-domain batch as DomainAdaptationDataset + pseudo_collate yield it.

    ``target_labels``: 'none' (target pipeline without LoadAnnotations), 'garbage' (random values,
    many outside the classes) or 'other' (other random values).
    """
    gen = torch.Generator().manual_seed(seed)
    labels = [torch.randint(0, NUM_CLASSES, (1, SIZE, SIZE), generator=gen) for _ in range(n)]
    labels[0][:, :8, :8] = 255
    inputs = [torch.randint(0, 256, (3, SIZE, SIZE), generator=gen).float() for _ in range(n)]
    target_inputs = [torch.randint(0, 256, (3, *target_size), generator=gen).float() for _ in range(n)]
    garbage = {'none': None, 'garbage': 0, 'other': 1}[target_labels]
    if garbage is None:
        target_samples = [sample(size=target_size) for _ in range(n)]
    else:
        noise = torch.Generator().manual_seed(1000 + garbage)
        target_samples = [
            sample(torch.randint(0, 256, (1, *target_size), generator=noise), target_size) for _ in range(n)
        ]
    return dict(
        inputs=inputs,
        data_samples=[sample(label) for label in labels],
        target_inputs=target_inputs,
        target_data_samples=target_samples)


def set_iter(i):
    MessageHub.get_current_instance().update_info('iter', i)


def train(model, batches, optim_wrapper=OPTIM_WRAPPER):
    wrapper = build_optim_wrapper(model, optim_wrapper)
    logs = []
    for i, batch in enumerate(batches):
        set_iter(i)
        logs.append(model.train_step(copy.deepcopy(batch), wrapper))
    return logs


def generator_parameters(model):
    return [p for part in model.generator_modules().values() for p in part.parameters() if p.requires_grad]


def grad_norm(params):
    return sum(float(p.grad.abs().sum()) for p in params if p.grad is not None)


def maps(model, batch):
    """Per discriminator, the (real, fake) maps of the batch, with G's gradient."""
    data = model.data_preprocessor(copy.deepcopy(batch), True)
    _, pairs = model.forward_generator(data)
    return pairs


def with_resize(resize_to_input):
    discriminators = copy.deepcopy(DISCRIMINATORS)
    for cfg in discriminators.values():
        cfg['inputs'] = dict(DOMAIN_INPUTS, resize_to_input=resize_to_input)
    return discriminators


def spy_on(wrapper, record):
    """Call ``record(when)`` right before and after ``wrapper.update_params``."""
    update = wrapper.update_params

    def update_params(loss, **kwargs):
        record('before')
        update(loss, **kwargs)
        record('after')

    wrapper.update_params = update_params


def assert_same_parameters(a, b, atol=0.0):
    for (name, x), y in zip(a.named_parameters(), b.parameters()):
        torch.testing.assert_close(x, y, rtol=0, atol=atol, msg=name)


# ----------------------------------------------------------------------------------- the step


def test_train_step_logs_source_losses_target_adversarial_terms_and_discriminators():
    log_vars = train(build(), [make_batch()])[0]
    expected = {
        'loss', 'decode.loss_ce', 'decode.acc_seg', 'aux.loss_ce', 'aux.acc_seg', 'adv.loss_aux',
        'adv.loss_main', 'disc_loss'
    }
    for name in ('aux', 'main'):
        expected |= {f'disc_{name}.{k}' for k in ('loss_real', 'loss_fake', 'score_real', 'score_fake')}
    assert set(log_vars) == expected
    total = sum(log_vars[k] for k in ('decode.loss_ce', 'aux.loss_ce', 'adv.loss_aux', 'adv.loss_main'))
    torch.testing.assert_close(torch.as_tensor(log_vars['loss']), torch.as_tensor(total))


def test_discriminators_see_softmax_maps_at_the_input_size_without_the_image():
    model = build()
    model.data_preprocessor.target_size = (24, 40)
    pairs = maps(model, make_batch(target_size=(24, 40)))
    for name in ('aux', 'main'):
        real, fake = pairs[name]
        assert model.discriminators[name].in_channels == NUM_CLASSES
        assert real.shape == (2, NUM_CLASSES, SIZE, SIZE) and fake.shape == (2, NUM_CLASSES, 24, 40)
        for probabilities in (real, fake):
            torch.testing.assert_close(probabilities.sum(1), torch.ones_like(probabilities[:, 0]))


def test_single_level_model_runs_the_auxiliary_head_on_the_source_only():
    model = build(dict(main=DISCRIMINATORS['main']))
    calls = []
    model.auxiliary_head.register_forward_hook(lambda module, args, out: calls.append(out.shape))
    log_vars = train(model, [make_batch()])[0]
    assert 'adv.loss_main' in log_vars and 'aux.loss_ce' in log_vars and 'adv.loss_aux' not in log_vars
    assert len(calls) == 1  # the aux output is trained on source labels, never judged on the target


def test_discriminators_can_judge_the_outputs_at_their_own_resolution():
    pairs = maps(build(with_resize(False)), make_batch())
    assert pairs['main'][0].shape[2:] == pairs['main'][1].shape[2:] == (2, 2)  # output stride 16


def test_source_and_target_of_different_sizes_train_together():
    model = build()
    model.data_preprocessor.target_size = (24, 40)
    batch = make_batch(target_size=(20, 40))
    pairs = maps(model, batch)
    assert pairs['main'][0].shape[2:] == (SIZE, SIZE) and pairs['main'][1].shape[2:] == (24, 40)
    before = copy.deepcopy(model.discriminator_modules())
    log_vars = train(model, [batch])[0]
    assert {'disc_loss', 'adv.loss_main', 'adv.loss_aux'} <= set(log_vars)
    moved = [
        name for name, d in model.discriminator_modules().items()
        if any(not torch.equal(a, b) for a, b in zip(d.parameters(), before[name].parameters()))
    ]
    assert moved == ['aux', 'main']  # both discriminators learnt from the differently sized pair


def test_target_ground_truth_is_never_read():
    """Garbage target labels (most values are not classes) leave every loss and weight bit-identical."""
    runs = []
    for labels in ('none', 'garbage', 'other'):
        model = build()
        logs = train(model, [make_batch(i, target_labels=labels) for i in range(2)])
        runs.append((model, logs))
    (reference, reference_logs), *others = runs
    for model, logs in others:
        for ours, theirs in zip(logs, reference_logs):
            assert set(ours) == set(theirs)
            for key in ours:
                assert torch.equal(torch.as_tensor(ours[key]), torch.as_tensor(theirs[key])), key
        assert_same_parameters(model, reference)


def test_generator_adversarial_loss_puts_no_gradient_into_discriminators():
    """In the authors' order G steps first; D's gradients must then hold nothing from G's loss."""
    model = build()
    wrapper = build_optim_wrapper(model, OPTIM_WRAPPER)
    d_params = list(nn_parameters(model.discriminator_modules()))
    seen = {}
    spy_on(wrapper['discriminator'], lambda when: seen.setdefault(when, [p.grad for p in d_params]))
    set_iter(0)
    model.train_step(make_batch(), wrapper)
    assert all(grad is None for grad in seen['before'])
    assert all(p.requires_grad for p in d_params)


def test_generator_adversarial_loss_reaches_every_part_of_the_generator():
    discriminators = copy.deepcopy(DISCRIMINATORS)
    model = build(discriminators)
    g_params = generator_parameters(model)
    d_params = list(nn_parameters(model.discriminator_modules()))
    model.train_generator({}, maps(model, make_batch()), BackwardOnly(torch.optim.SGD(g_params, lr=0.0)))
    for part in ('backbone', 'decode_head', 'auxiliary_head'):
        # 'aux' reaches layer3 + the aux head, 'main' the rest
        assert grad_norm(model.generator_modules()[part].parameters()) > 0
    assert all(p.grad is None for p in d_params)


class BackwardOnly(OptimWrapper):
    """Back-propagates without stepping or zeroing, so a test reads the gradients a step produced."""

    def update_params(self, loss, **kwargs):
        self.backward(loss)


def nn_parameters(modules):
    return (p for module in modules.values() for p in module.parameters())


def test_discriminator_loss_puts_no_gradient_into_the_generator():
    model = build()
    wrapper = build_optim_wrapper(model, OPTIM_WRAPPER)
    g_params = generator_parameters(model)
    seen = {}
    spy_on(wrapper['discriminator'], lambda when: seen.setdefault(when, [p.grad for p in g_params]))
    set_iter(0)
    model.train_step(make_batch(), wrapper)
    assert all(grad is None for grad in seen['before'] + seen['after'])
    assert grad_norm(nn_parameters(model.discriminator_modules())) == 0  # stepped and zeroed


@pytest.mark.parametrize('loss_type', ['vanilla', 'lsgan', 'hinge'])
def test_a_generator_step_on_the_adversarial_loss_makes_target_maps_look_like_source(loss_type):
    """The sign: G's adversarial step moves D's output on target maps towards "source" (real)."""
    model = build(gan_loss=dict(type='GANLoss', loss_type=loss_type))
    batch = make_batch()
    discriminators = model.discriminator_modules()

    def target_scores():
        with torch.no_grad():
            pairs = maps(model, batch)
            return {name: float(discriminators[name](fake).mean()) for name, (_, fake) in pairs.items()}

    before = target_scores()
    g_wrapper = OptimWrapper(torch.optim.SGD(generator_parameters(model), lr=0.05))
    model.train_generator({}, maps(model, batch), g_wrapper)
    after = target_scores()
    for name in before:
        assert after[name] > before[name], (name, before, after)  # higher score = more "source"


# ------------------------------------------------------------------------- equivalences


def test_zero_adversarial_weights_reproduce_a_source_only_encoder_decoder_exactly():
    discriminators = copy.deepcopy(DISCRIMINATORS)
    for cfg in discriminators.values():
        cfg['loss_weight'] = 0.0
    model = build(discriminators)
    baseline_cfg = generator_cfg()
    baseline_cfg.update(type='EncoderDecoder', discriminators=None)
    baseline_cfg.pop('discriminators')
    baseline_cfg['data_preprocessor']['type'] = 'SegDataPreProcessor'
    baseline = MODELS.build(baseline_cfg).train()
    missing, _ = baseline.load_state_dict(model.state_dict(), strict=False)
    assert missing == []
    batches = [make_batch(i) for i in range(3)]
    logs = train(model, batches)
    wrapper = OptimWrapper(torch.optim.SGD(baseline.parameters(), lr=G_LR, momentum=0.9, weight_decay=5e-4))
    for i, batch in enumerate(batches):
        source_only = dict(inputs=batch['inputs'], data_samples=batch['data_samples'])
        baseline_logs = baseline.train_step(copy.deepcopy(source_only), wrapper)
        assert torch.equal(logs[i]['decode.loss_ce'], baseline_logs['decode.loss_ce'])
    assert logs[-1]['disc_loss'] > 0  # the discriminators did train
    assert_same_parameters(baseline, model)


def authors_loop(model, batches):
    """The authors' AdaptSegNet iteration (train_gta2cityscapes_multi.py) in plain PyTorch on copies of
    the model's parts, with this package's label convention (source = 1 = "real")."""
    backbone, main_head, aux_head = (
        copy.deepcopy(m) for m in (model.backbone, model.decode_head, model.auxiliary_head))
    d_aux, d_main = (copy.deepcopy(model.discriminators[n]) for n in ('aux', 'main'))
    g_params = [p for m in (backbone, main_head, aux_head) for p in m.parameters() if p.requires_grad]
    optimizer = torch.optim.SGD(g_params, lr=G_LR, momentum=0.9, weight_decay=5e-4)
    optimizers_d = [torch.optim.Adam(d.parameters(), **D_ADAM) for d in (d_aux, d_main)]
    mean, std = torch.tensor(MEAN).view(3, 1, 1), torch.tensor(STD).view(3, 1, 1)

    def forward(images):
        x = torch.stack([(image - mean) / std for image in images])
        feats = backbone(x)
        return [
            F.interpolate(logits, size=x.shape[2:], mode='bilinear', align_corners=False)
            for logits in (aux_head(feats), main_head(feats))
        ]

    def bce(scores, label):
        return F.binary_cross_entropy_with_logits(scores, torch.full_like(scores, label))

    for batch in batches:
        optimizer.zero_grad()
        for opt in optimizers_d:
            opt.zero_grad()
        for d in (d_aux, d_main):
            d.requires_grad_(False)
        pred1, pred2 = forward(batch['inputs'])
        labels = torch.cat([s.gt_sem_seg.data for s in batch['data_samples']])
        loss_seg = F.cross_entropy(pred2, labels, ignore_index=255) + \
            LAMBDA_SEG_AUX * F.cross_entropy(pred1, labels, ignore_index=255)
        loss_seg.backward()
        pred_target1, pred_target2 = forward(batch['target_inputs'])
        loss_adv = LAMBDA_AUX * bce(d_aux(F.softmax(pred_target1, dim=1)), 1.0) + \
            LAMBDA_MAIN * bce(d_main(F.softmax(pred_target2, dim=1)), 1.0)
        loss_adv.backward()
        for d in (d_aux, d_main):
            d.requires_grad_(True)
        for d, source, target in ((d_aux, pred1, pred_target1), (d_main, pred2, pred_target2)):
            (bce(d(F.softmax(source.detach(), dim=1)), 1.0) / 2).backward()
            (bce(d(F.softmax(target.detach(), dim=1)), 0.0) / 2).backward()
        optimizer.step()
        for opt in optimizers_d:
            opt.step()
    return torch.nn.ModuleDict(
        dict(backbone=backbone, decode_head=main_head, auxiliary_head=aux_head, aux=d_aux, main=d_main))


def parts(model):
    return torch.nn.ModuleDict(
        dict(
            backbone=model.backbone,
            decode_head=model.decode_head,
            auxiliary_head=model.auxiliary_head,
            aux=model.discriminators['aux'],
            main=model.discriminators['main']))


@pytest.mark.parametrize('update_order', ['simultaneous', 'discriminator_first'])
def test_simultaneous_order_matches_the_authors_loop(update_order):
    batches = [make_batch(i) for i in range(3)]
    model = build(update_order=update_order)
    initial = copy.deepcopy(parts(model))
    reference = authors_loop(model, batches)
    train(model, batches)
    moved = max(float((a - b).abs().max()) for a, b in zip(parts(model).parameters(), initial.parameters()))
    assert moved > 1e-3
    if update_order == 'simultaneous':
        assert_same_parameters(parts(model), reference, atol=1e-6)
    else:  # G's adversarial step goes through the already updated discriminators: a different method
        with pytest.raises(AssertionError):
            assert_same_parameters(parts(model), reference, atol=1e-6)


# ------------------------------------------------------------------------ configuration


def test_prediction_is_the_main_output_and_runs_no_discriminator():
    model = build().eval()
    for d in model.discriminators.values():
        d.forward = None  # any call would fail
    batch = make_batch(n=1)
    with torch.no_grad():
        result = model.test_step(dict(inputs=batch['inputs'], data_samples=batch['data_samples']))[0]
        logits = model.encode_decode(model.data_preprocessor(batch, False)['inputs'], [result.metainfo])
    assert result.pred_sem_seg.data.shape == (1, SIZE, SIZE)
    assert torch.equal(result.pred_sem_seg.data[0], logits[0].argmax(0))
    assert 'pred_sem_seg_low' not in result


def test_missing_target_images_are_reported():
    batch = make_batch()
    del batch['target_inputs'], batch['target_data_samples']
    with pytest.raises(
            KeyError, match=r"\['aux', 'main'\].*DomainAdaptationDataset.*DomainAdaptationDataPreProcessor"):
        train(build(), [batch])


def test_source_only_mode_needs_no_target_images():
    batch = make_batch()
    del batch['target_inputs'], batch['target_data_samples']
    model = build(None)
    log_vars = model.train_step(batch, OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.01)))
    assert 'adv.loss_main' not in log_vars and log_vars['loss'] > 0


def test_aux_output_needs_an_auxiliary_head():
    with pytest.raises(ValueError, match=r"discriminators.aux.output='aux'.*\('high',\)"):
        build(auxiliary_head=None)


def test_discriminator_sees_num_classes_channels():
    discriminators = copy.deepcopy(DISCRIMINATORS)
    discriminators['main']['in_channels'] = 3 + NUM_CLASSES
    with pytest.raises(ValueError, match=r'in_channels=8.*DomainOutputInput.*num_classes = 5 channels'):
        build(discriminators)


@pytest.mark.parametrize('kwargs, match', [
    (dict(update_order='generator_first'), "update_order='generator_first'"),
])
def test_bad_settings_are_rejected(kwargs, match):
    with pytest.raises(ValueError, match=match):
        build(**kwargs)
