# MMAN on LIP with a MobileNetV2 generator backbone at output stride 16, like
# the paper's ResNet: layers 3-4 at stride 16, layers 5-6 dilated by 2 instead
# of strided (mmseg's mobilenet_v2 configs dilate the same way to stride 8).
# MMANHead takes layers 1, 2, 4, 6 (24, 32, 96, 320 channels at strides
# 4, 8, 16, 16), the outputs of mmseg's MobileNetV2 configs.
_base_ = './mman_r50-d16_1xb1-30e_lip-256x256.py'
model = dict(
    pretrained='mmcls://mobilenet_v2',
    backbone=dict(
        _delete_=True,
        type='MobileNetV2',
        widen_factor=1.,
        strides=(1, 2, 2, 2, 1, 1, 1),
        dilations=(1, 1, 1, 1, 1, 2, 2),
        out_indices=(1, 2, 4, 6),
        norm_cfg=dict(type='BN', requires_grad=True),
        norm_eval=True),
    # A decoder sized for a light backbone.
    decode_head=dict(
        in_channels=[24, 32, 96, 320],
        in_index=[0, 1, 2, 3],
        decoder_channels=(128, 64, 48),
        final_upsample_channels=(32, 32),
        channels=32,
        skip_channels=32))
