# MMAN on LIP with an STDC1 generator backbone (ImageNet weights of mmseg's STDC
# configs). STDCNet returns strides 8, 16, 32: the finest selected stage is at
# stride 8, so MMANHead adds three x2 up-sampling steps (derived from the
# measured strides) to reach the input; the low-resolution map is input/32.
_base_ = './mman_r50-d16_1xb1-30e_lip-256x256.py'
checkpoint = 'https://download.openmmlab.com/mmsegmentation/v0.5/pretrain/stdc/stdc1_20220308-5368626c.pth'  # noqa
model = dict(
    data_preprocessor=dict(test_cfg=dict(size_divisor=32)),
    pretrained=None,
    backbone=dict(
        _delete_=True,
        type='STDCNet',
        stdc_type='STDCNet1',
        in_channels=3,
        channels=(32, 64, 256, 512, 1024),
        bottleneck_type='cat',
        num_convs=4,
        norm_cfg=dict(type='BN', requires_grad=True),
        act_cfg=dict(type='ReLU'),
        with_final_conv=False,
        init_cfg=dict(type='Pretrained', checkpoint=checkpoint)),
    # A decoder sized for a light backbone.
    decode_head=dict(
        in_channels=[256, 512, 1024],
        in_index=[0, 1, 2],
        decoder_channels=(128, 48),
        final_upsample_channels=None,
        channels=32,
        skip_channels=32))
