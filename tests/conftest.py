"""Shared fixtures: every test runs single-threaded in mmseg's registry scope with tiny models."""
import copy

import mmseg_mman  # noqa: F401,I001  (first: registers the plugin and the mmcv-ops fallback)
import pytest
import torch
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample
from mmseg.utils import register_all_modules

torch.set_num_threads(1)
register_all_modules(init_default_scope=True)

NUM_CLASSES = 20
LIP_FLIP_PAIRS = [(14, 15), (16, 17), (18, 19)]


def tiny_model_cfg(discriminators=None, size=64, with_mid_output=False, **kwargs) -> dict:
    """An AdversarialEncoderDecoder on ResNetV1c-18 (output stride 16) with a narrow MMANHead."""
    cfg = dict(
        type='AdversarialEncoderDecoder',
        data_preprocessor=dict(
            type='SegDataPreProcessor', mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375],
            bgr_to_rgb=True, pad_val=0, seg_pad_val=255, size=(size, size)),
        backbone=dict(
            type='ResNetV1c', depth=18, num_stages=4, out_indices=(0, 1, 2, 3), dilations=(1, 1, 1, 2),
            strides=(1, 2, 2, 1), norm_cfg=dict(type='BN', requires_grad=True), norm_eval=True,
            style='pytorch', contract_dilation=True),
        decode_head=dict(
            type='MMANHead', in_channels=[64, 128, 256, 512], in_index=[0, 1, 2, 3], channels=16,
            skip_channels=8, decoder_channels=(32, 16, 16), final_upsample_channels=(16, 16),
            num_classes=NUM_CLASSES, with_mid_output=with_mid_output, decoder_dropout_ratio=0.0,
            dropout_ratio=0.0),
        discriminators=copy.deepcopy(discriminators),
        test_cfg=dict(mode='whole', flip_pairs=LIP_FLIP_PAIRS))
    cfg.update(kwargs)
    return cfg


MMAN_DISCRIMINATORS = dict(
    macro=dict(type='MacroDiscriminator', output='low', base_channels=8),
    micro=dict(type='MicroDiscriminator', output='high', base_channels=8))

GAN_OPTIM_WRAPPER = dict(
    constructor='SegGANOptimWrapperConstructor',
    generator=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-3, betas=(0.9, 0.999))),
    discriminator=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-3, betas=(0.9, 0.999))))


def make_batch(batch_size=2, size=64, seed=0, ignore_corner=True) -> dict:
    """Raw (un-preprocessed) images and labels as a dataloader would yield them."""
    gen = torch.Generator().manual_seed(seed)
    samples = []
    for _ in range(batch_size):
        label = torch.randint(0, NUM_CLASSES, (1, size, size), generator=gen)
        if ignore_corner:
            label[:, :size // 4, :size // 4] = 255
        sample = SegDataSample(gt_sem_seg=PixelData(data=label))
        sample.set_metainfo(dict(img_shape=(size, size), ori_shape=(size, size), pad_shape=(size, size)))
        samples.append(sample)
    inputs = [torch.randint(0, 256, (3, size, size), generator=gen).float() for _ in range(batch_size)]
    return dict(inputs=inputs, data_samples=samples)


@pytest.fixture
def batch():
    return make_batch()
