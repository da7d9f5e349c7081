"""MMANHead on every kind of mmseg backbone: whatever the strides and the order of the features, ``low`` comes
from the coarsest selected stage and ``high`` reaches the input (the segmentor measures the strides)."""
import pytest
import torch
from conftest import GAN_OPTIM_WRAPPER, MMAN_DISCRIMINATORS, make_batch, tiny_model_cfg
from mmengine.logging import MessageHub
from mmengine.optim import build_optim_wrapper
from mmseg.registry import MODELS

SIZE = 64
BN = dict(type='BN', requires_grad=True)


def tiny_vit(vit_type: str) -> dict:
    """A 4-layer, 32-wide ViT-style backbone (VisionTransformer, BEiT, MAE): four stride-16 outputs."""
    return dict(
        type=vit_type,
        img_size=(SIZE, SIZE),
        patch_size=16,
        embed_dims=32,
        num_layers=4,
        num_heads=2,
        out_indices=(0, 1, 2, 3))


# name -> (backbone, neck or None); small widths, mmseg 1.2.2 backbones that need no compiled op
BACKBONES = {
    'ResNetV1c-18': (dict(type='ResNetV1c', depth=18, out_indices=(0, 1, 2, 3)), None),
    'ResNeXt-50': (dict(type='ResNeXt', depth=50, groups=8, base_width=4, out_indices=(0, 1, 2, 3)), None),
    'Swin': (dict(
        type='SwinTransformer',
        embed_dims=16,
        depths=(1, 1, 1, 1),
        num_heads=(1, 1, 2, 2),
        window_size=7,
        pretrain_img_size=SIZE), None),
    'MSCAN': (dict(type='MSCAN', embed_dims=[8, 16, 32, 64], depths=[1, 1, 1, 1], norm_cfg=BN), None),
    'MiT': (dict(type='MixVisionTransformer', embed_dims=16, num_layers=[1, 1, 1, 1], num_heads=[1, 1, 1,
                                                                                                 1]), None),
    'ViT (4 stride-16 outputs)': (tiny_vit('VisionTransformer'), None),
    'ViT + MultiLevelNeck':
    (tiny_vit('VisionTransformer'),
     dict(type='MultiLevelNeck', in_channels=[32] * 4, out_channels=32, scales=[4, 2, 1, 0.5])),
    'STDCNet': (dict(
        type='STDCNet',
        stdc_type='STDCNet1',
        in_channels=3,
        channels=(16, 32, 64, 128, 256),
        bottleneck_type='cat',
        num_convs=4,
        norm_cfg=BN,
        act_cfg=dict(type='ReLU'),
        with_final_conv=False), None),
    'MobileNetV2': (dict(type='MobileNetV2', widen_factor=0.5, out_indices=(1, 2, 4, 6)), None),
    'MobileNetV3': (dict(type='MobileNetV3', arch='large', out_indices=(1, 3, 16)), None),
    'ResNeSt-50': (dict(type='ResNeSt', depth=50, stem_channels=32, out_indices=(0, 1, 2, 3)), None),
    'UNet (deep to shallow)': (dict(type='UNet', base_channels=8), None),
    'HRNet': (dict(
        type='HRNet',
        norm_cfg=BN,
        extra=dict(
            stage1=dict(
                num_modules=1, num_branches=1, block='BOTTLENECK', num_blocks=(1, ), num_channels=(16, )),
            stage2=dict(
                num_modules=1, num_branches=2, block='BASIC', num_blocks=(1, 1), num_channels=(8, 16)),
            stage3=dict(
                num_modules=1, num_branches=3, block='BASIC', num_blocks=(1, 1, 1), num_channels=(8, 16, 32)),
            stage4=dict(
                num_modules=1,
                num_branches=4,
                block='BASIC',
                num_blocks=(1, 1, 1, 1),
                num_channels=(8, 16, 32, 64)))), None),
    'CGNet': (dict(type='CGNet', num_channels=(8, 16, 32), num_blocks=(1, 1)), None),
    'FastSCNN': (dict(type='FastSCNN'), None),
    'BiSeNetV1':
    (dict(type='BiSeNetV1', backbone_cfg=dict(type='ResNetV1c', depth=18, out_indices=(0, 1, 2, 3))), None),
    'BiSeNetV2': (dict(type='BiSeNetV2'), None),
    'PCPVT (Twins)': (dict(
        type='PCPVT',
        embed_dims=[16, 32, 64, 128],
        num_heads=[1, 1, 2, 2],
        depths=[1, 1, 1, 1],
        sr_ratios=[8, 4, 2, 1]), None),
    'BEiT': (tiny_vit('BEiT'), None),
    'MAE': (tiny_vit('MAE'), None),
}


def features(backbone: dict, neck) -> list:
    model = MODELS.build(backbone)
    model.eval()
    with torch.no_grad():
        feats = model(torch.zeros(1, 3, SIZE, SIZE))
        return list(MODELS.build(neck)(feats) if neck else feats)


@pytest.mark.parametrize('name', sorted(BACKBONES))
def test_outputs_are_at_the_coarsest_stage_and_the_input_after_a_train_step(name):
    backbone, neck = BACKBONES[name]
    feats = features(backbone, neck)
    cfg = tiny_model_cfg(MMAN_DISCRIMINATORS, size=SIZE, backbone=backbone, neck=neck)
    cfg['decode_head'].update(
        in_channels=[f.shape[1] for f in feats],
        in_index=list(range(len(feats))),
        channels=16,
        decoder_channels=(16, ) * (len(feats) - 1),
        final_upsample_channels=None)
    MessageHub.get_current_instance().update_info('iter', 0)
    torch.manual_seed(0)
    model = MODELS.build(cfg)
    model.train()
    log_vars = model.train_step(
        make_batch(batch_size=2, size=SIZE), build_optim_wrapper(model, GAN_OPTIM_WRAPPER))
    assert {'adv.loss_macro', 'adv.loss_micro', 'disc_loss'} <= set(log_vars)
    with torch.no_grad():
        model.eval()
        outputs = model.named_outputs(model.extract_feat(torch.zeros(1, 3, SIZE, SIZE)))
    coarsest = min(f.shape[-1] for f in feats)
    assert outputs['high'].shape[2:] == (SIZE, SIZE)
    assert outputs['low'].shape[2:] == (coarsest, coarsest)
    strides = sorted(SIZE // f.shape[-1] for f in feats)
    assert model.decode_head.feature_strides == strides  # measured, finest first


def test_a_stride_that_x2_steps_cannot_reach_names_the_strides_and_keys():
    with pytest.raises(ValueError, match=r'finest selected stage is at stride 3 .*in_index / in_channels'):
        MODELS.build(
            dict(
                type='MMANHead',
                in_channels=[8, 16],
                in_index=[0, 1],
                feature_strides=[3, 6],
                channels=8,
                decoder_channels=(8, ),
                num_classes=4))


def test_widths_that_do_not_match_the_strides_are_rejected():
    with pytest.raises(ValueError, match=r'final_upsample_channels=\(8, 8\) has 2 x2 steps.*stride 8'):
        MODELS.build(
            dict(
                type='MMANHead',
                in_channels=[8, 16],
                in_index=[0, 1],
                feature_strides=[8, 16],
                channels=8,
                decoder_channels=(8, ),
                final_upsample_channels=(8, 8),
                num_classes=4))


def test_a_backbone_with_one_output_is_reported_with_its_strides():
    """ERFNet returns one stride-2 map: nothing for MMAN's skip connections."""
    cfg = tiny_model_cfg(MMAN_DISCRIMINATORS, size=SIZE, backbone=dict(type='ERFNet'))
    cfg['decode_head'].update(in_channels=16, in_index=0)
    with pytest.raises(
            ValueError,
            match=r'needs two or more stages, in_index=0; the backbone returns 1 '
            r'feature\(s\) at strides \[2\]: .*decode_head.in_index'):
        MODELS.build(cfg)
