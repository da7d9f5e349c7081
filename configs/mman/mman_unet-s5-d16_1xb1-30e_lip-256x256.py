# MMAN on LIP with mmseg's UNet (5 stages, trained from scratch as mmseg's UNet
# configs). UNet returns its features deep to shallow (strides 16, 8, 4, 2, 1);
# MMANHead takes them finest to coarsest from the measured strides: the
# low-resolution map comes from the stride-16 stage, and the stride-1 stage is
# already at the input, so there is no extra up-sampling step (the last decoder
# width is the classifier's input, channels).
_base_ = './mman_r50-d16_1xb1-30e_lip-256x256.py'
model = dict(
    data_preprocessor=dict(test_cfg=dict(size_divisor=16)),
    pretrained=None,
    backbone=dict(
        _delete_=True,
        type='UNet',
        in_channels=3,
        base_channels=64,
        num_stages=5,
        strides=(1, 1, 1, 1, 1),
        enc_num_convs=(2, 2, 2, 2, 2),
        dec_num_convs=(2, 2, 2, 2),
        downsamples=(True, True, True, True),
        enc_dilations=(1, 1, 1, 1, 1),
        dec_dilations=(1, 1, 1, 1),
        with_cp=False,
        conv_cfg=None,
        norm_cfg=dict(type='BN', requires_grad=True),
        act_cfg=dict(type='ReLU'),
        upsample_cfg=dict(type='InterpConv'),
        norm_eval=False),
    decode_head=dict(
        in_channels=[1024, 512, 256, 128, 64],
        in_index=[0, 1, 2, 3, 4],
        decoder_channels=(256, 128, 64, 32),
        final_upsample_channels=None,
        channels=32,
        skip_channels=32))
