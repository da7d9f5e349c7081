"""Luc et al.'s label-map encodings (basic, product, scaling) on hand-made maps."""
import pytest
import torch
from mmengine.structures import PixelData
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

from mmseg_mman.models.adversarial_inputs import GeneratorOutputs

# One image row of 3 pixels, 2 classes: labels 0, 1, ignored.
LABELS = torch.tensor([[[0, 1, 255]]])
IMAGE = torch.tensor([[[[1., 2., 3.]], [[10., 20., 30.]], [[100., 200., 300.]]]])  # (1, 3, 1, 3)
PROBS = torch.tensor([[[[0.6, 0.05, 0.5]], [[0.4, 0.95, 0.5]]]])  # softmax of the logits below


def pair(cfg):
    generated = GeneratorOutputs(
        inputs=IMAGE,
        outputs=dict(high=PROBS.log()),
        data_samples=[SegDataSample(gt_sem_seg=PixelData(data=LABELS))])
    return MODELS.build(cfg).real_and_fake(generated, 'high')


def test_basic_is_the_label_map_alone():
    real, fake = pair(dict(type='BasicLabelMapInput'))
    assert MODELS.build(dict(type='BasicLabelMapInput')).in_channels(2) == 2
    torch.testing.assert_close(real[0, :, 0], torch.tensor([[1., 0., 0.], [0., 1., 0.]]))
    torch.testing.assert_close(fake[0, :, 0], torch.tensor([[0.6, 0.05, 0.], [0.4, 0.95, 0.]]))


def test_product_masks_the_image_with_each_class_map():
    encoding = MODELS.build(dict(type='ProductLabelMapInput'))
    assert encoding.in_channels(2) == 6
    real, fake = pair(dict(type='ProductLabelMapInput'))
    assert real.shape == fake.shape == (1, 6, 1, 3)
    # block c = image * map_c: pixel 0 is class 0, pixel 1 class 1, pixel 2 ignored
    torch.testing.assert_close(real[0, :3, 0], IMAGE[0, :, 0] * torch.tensor([1., 0., 0.]))
    torch.testing.assert_close(real[0, 3:, 0], IMAGE[0, :, 0] * torch.tensor([0., 1., 0.]))
    torch.testing.assert_close(fake[0, 3:, 0], IMAGE[0, :, 0] * torch.tensor([0.4, 0.95, 0.]))


def test_scaling_gives_the_truth_at_least_tau_and_shares_the_rest_by_the_prediction():
    real, fake = pair(dict(type='ScalingLabelMapInput', tau=0.9))
    maps = real[0, 3:, 0]
    # pixel 0: s_l = 0.6 -> 0.9, the other class 0.4 * 0.1 / 0.4 = 0.1
    # pixel 1: s_l = 0.95 > tau stays, the other class 0.05 * 0.05 / 0.05 = 0.05
    torch.testing.assert_close(maps[:, 0], torch.tensor([0.9, 0.1]))
    torch.testing.assert_close(maps[:, 1], torch.tensor([0.05, 0.95]))
    torch.testing.assert_close(maps[:, 2], torch.zeros(2))  # ignored: zero in both
    torch.testing.assert_close(fake[0, 3:, 0, 2], torch.zeros(2))
    torch.testing.assert_close(real[0, :3], fake[0, :3])  # the image beside both
    assert not set(maps.unique().tolist()) <= {0.0, 1.0}  # never one-hot


def test_scaling_of_a_certain_prediction_stays_finite():
    generated = GeneratorOutputs(
        inputs=IMAGE[..., :1],
        outputs=dict(high=torch.tensor([[[[20.]], [[-20.]]]])),
        data_samples=[SegDataSample(gt_sem_seg=PixelData(data=LABELS[..., :1]))])
    real, _ = MODELS.build(dict(type='ScalingLabelMapInput')).real_and_fake(generated, 'high')
    assert torch.isfinite(real).all()
    torch.testing.assert_close(real[0, 3:].sum(0), torch.ones(1, 1))


@pytest.mark.parametrize('cfg, match', [
    (dict(type='ProductLabelMapInput', image_channels=0), 'image_channels=0'),
    (dict(type='ScalingLabelMapInput', tau=1.5), 'tau=1.5'),
])
def test_bad_encoding_settings_are_rejected(cfg, match):
    with pytest.raises(ValueError, match=match):
        MODELS.build(cfg)


def test_an_image_of_another_channel_count_is_reported():
    """e.g. a grayscale data preprocessor in front of the RGB product encoding."""
    generated = GeneratorOutputs(
        inputs=IMAGE[:, :1],
        outputs=dict(high=PROBS.log()),
        data_samples=[SegDataSample(gt_sem_seg=PixelData(data=LABELS))])
    with pytest.raises(
            ValueError, match=r'ProductLabelMapInput\(image_channels=3\) got images with 1 channels'):
        MODELS.build(dict(type='ProductLabelMapInput')).real_and_fake(generated, 'high')


def test_an_unknown_encoding_is_reported_with_its_name():
    from conftest import tiny_model_cfg
    discriminators = dict(
        micro=dict(type='MicroDiscriminator', output='high', inputs=dict(type='SoftLabelMapInput')))
    with pytest.raises(KeyError, match='SoftLabelMapInput'):
        MODELS.build(tiny_model_cfg(discriminators))


@pytest.mark.parametrize('encoding, channels', [('BasicLabelMapInput', 20), ('ProductLabelMapInput', 60),
                                                ('ScalingLabelMapInput', 23), ('LabelMapInput', 23)])
def test_every_encoding_drives_the_discriminators_of_a_train_step(encoding, channels, batch):
    from conftest import GAN_OPTIM_WRAPPER, MMAN_DISCRIMINATORS, tiny_model_cfg
    from mmengine.optim import build_optim_wrapper
    discriminators = {
        name: dict(cfg, inputs=dict(type=encoding))
        for name, cfg in MMAN_DISCRIMINATORS.items()
    }
    model = MODELS.build(tiny_model_cfg(discriminators))
    assert {d.in_channels for d in model.discriminator_modules().values()} == {channels}
    log_vars = model.train_step(batch, build_optim_wrapper(model, GAN_OPTIM_WRAPPER))
    assert {'disc_macro.loss_real', 'disc_micro.loss_fake', 'adv.loss_macro',
            'adv.loss_micro'} <= set(log_vars)
