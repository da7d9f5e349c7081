# MMAN on LIP with a SegFormer MiT-B0 generator backbone (ImageNet weights from
# mmseg's SegFormer configs). Its four stages (strides 4, 8, 16, 32) feed
# MMANHead, so the low-resolution map is input/32 (8x8 for a 256x256 crop;
# Macro D up-samples it to 16x16) instead of the paper's input/16.
_base_ = './mman_r50-d16_1xb1-30e_lip-256x256.py'
checkpoint = 'https://download.openmmlab.com/mmsegmentation/v0.5/pretrain/segformer/mit_b0_20220624-7e0fe6dd.pth'  # noqa
model = dict(
    # deepest stage at stride 32
    data_preprocessor=dict(test_cfg=dict(size_divisor=32)),
    pretrained=None,
    backbone=dict(
        _delete_=True,
        type='MixVisionTransformer',
        in_channels=3,
        embed_dims=32,
        num_stages=4,
        num_layers=[2, 2, 2, 2],
        num_heads=[1, 2, 5, 8],
        patch_sizes=[7, 3, 3, 3],
        sr_ratios=[8, 4, 2, 1],
        out_indices=(0, 1, 2, 3),
        mlp_ratio=4,
        qkv_bias=True,
        drop_rate=0.0,
        attn_drop_rate=0.0,
        drop_path_rate=0.1,
        init_cfg=dict(type='Pretrained', checkpoint=checkpoint)),
    # A decoder sized for a light backbone.
    decode_head=dict(
        in_channels=[32, 64, 160, 256],
        in_index=[0, 1, 2, 3],
        decoder_channels=(128, 64, 48),
        final_upsample_channels=(32, 32),
        channels=32,
        skip_channels=32))
