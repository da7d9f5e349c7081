# MMAN on LIP with a MobileNetV3-large generator backbone (ImageNet weights),
# out_indices (1, 3, 16) as mmseg's LR-ASPP configs: strides 2, 4, 8. The finest
# stage is at stride 2, so MMANHead needs one x2 up-sampling step (derived);
# the low-resolution map is input/8.
_base_ = './mman_r50-d16_1xb1-30e_lip-256x256.py'
model = dict(
    data_preprocessor=dict(test_cfg=dict(size_divisor=8)),
    pretrained='open-mmlab://contrib/mobilenet_v3_large',
    backbone=dict(
        _delete_=True,
        type='MobileNetV3',
        arch='large',
        out_indices=(1, 3, 16),
        norm_cfg=dict(type='BN', eps=0.001, requires_grad=True)),
    # A decoder sized for a light backbone.
    decode_head=dict(
        in_channels=[16, 24, 960],
        in_index=[0, 1, 2],
        decoder_channels=(64, 32),
        final_upsample_channels=None,
        channels=32,
        skip_channels=16))
