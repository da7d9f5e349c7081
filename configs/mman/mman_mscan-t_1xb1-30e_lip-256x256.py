# MMAN on LIP with SegNeXt's MSCAN-T generator backbone (ImageNet weights of
# mmseg's SegNeXt configs). Strides 4, 8, 16, 32: low-resolution map at input/32.
_base_ = './mman_r50-d16_1xb1-30e_lip-256x256.py'
checkpoint = 'https://download.openmmlab.com/mmsegmentation/v0.5/pretrain/segnext/mscan_t_20230227-119e8c9f.pth'  # noqa
model = dict(
    data_preprocessor=dict(test_cfg=dict(size_divisor=32)),
    pretrained=None,
    backbone=dict(
        _delete_=True,
        type='MSCAN',
        embed_dims=[32, 64, 160, 256],
        mlp_ratios=[8, 8, 4, 4],
        drop_rate=0.0,
        drop_path_rate=0.1,
        depths=[3, 3, 5, 2],
        attention_kernel_sizes=[5, [1, 7], [1, 11], [1, 21]],
        attention_kernel_paddings=[2, [0, 3], [0, 5], [0, 10]],
        act_cfg=dict(type='GELU'),
        norm_cfg=dict(type='BN', requires_grad=True),
        init_cfg=dict(type='Pretrained', checkpoint=checkpoint)),
    # A decoder sized for a light backbone.
    decode_head=dict(
        in_channels=[32, 64, 160, 256],
        in_index=[0, 1, 2, 3],
        decoder_channels=(128, 64, 48),
        final_upsample_channels=None,
        channels=32,
        skip_channels=32))
