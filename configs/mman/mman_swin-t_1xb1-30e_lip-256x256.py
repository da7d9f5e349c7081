# MMAN on LIP with a Swin-T generator backbone (ImageNet weights of mmseg's
# Swin configs). Strides 4, 8, 16, 32: the low-resolution map is input/32; the
# segmentor measures the strides and MMANHead derives its two x2 up-sampling
# steps from the stride-4 stage.
_base_ = './mman_r50-d16_1xb1-30e_lip-256x256.py'
checkpoint = 'https://download.openmmlab.com/mmsegmentation/v0.5/pretrain/swin/swin_tiny_patch4_window7_224_20220317-1cdeb081.pth'  # noqa
model = dict(
    data_preprocessor=dict(test_cfg=dict(size_divisor=32)),
    pretrained=None,
    backbone=dict(
        _delete_=True,
        type='SwinTransformer',
        pretrain_img_size=224,
        embed_dims=96,
        patch_size=4,
        window_size=7,
        mlp_ratio=4,
        depths=[2, 2, 6, 2],
        num_heads=[3, 6, 12, 24],
        strides=(4, 2, 2, 2),
        out_indices=(0, 1, 2, 3),
        qkv_bias=True,
        drop_path_rate=0.3,
        patch_norm=True,
        init_cfg=dict(type='Pretrained', checkpoint=checkpoint)),
    decode_head=dict(in_channels=[96, 192, 384, 768], in_index=[0, 1, 2, 3], final_upsample_channels=None))
