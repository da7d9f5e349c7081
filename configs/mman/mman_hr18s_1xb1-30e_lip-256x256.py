# MMAN on LIP with an HRNetV2-W18-small generator backbone. HRNet's four
# branches (strides 4, 8, 16, 32) feed MMANHead, so the low-resolution map is
# input/32 (8x8 for a 256x256 crop; Macro D up-samples it to 16x16) instead of
# the paper's input/16. Every branch is used: an unused one would leave
# parameters without gradients, which DDP rejects.
_base_ = './mman_r50-d16_1xb1-30e_lip-256x256.py'
model = dict(
    # deepest stage at stride 32
    data_preprocessor=dict(test_cfg=dict(size_divisor=32)),
    pretrained='open-mmlab://msra/hrnetv2_w18_small',
    backbone=dict(
        _delete_=True,
        type='HRNet',
        norm_cfg=dict(type='BN', requires_grad=True),
        norm_eval=True,
        extra=dict(
            stage1=dict(
                num_modules=1, num_branches=1, block='BOTTLENECK', num_blocks=(2, ), num_channels=(64, )),
            stage2=dict(
                num_modules=1, num_branches=2, block='BASIC', num_blocks=(2, 2), num_channels=(18, 36)),
            stage3=dict(
                num_modules=3, num_branches=3, block='BASIC', num_blocks=(2, 2, 2),
                num_channels=(18, 36, 72)),
            stage4=dict(
                num_modules=2,
                num_branches=4,
                block='BASIC',
                num_blocks=(2, 2, 2, 2),
                num_channels=(18, 36, 72, 144)))),
    # A decoder sized for a light backbone.
    decode_head=dict(
        in_channels=[18, 36, 72, 144],
        in_index=[0, 1, 2, 3],
        decoder_channels=(128, 64, 48),
        final_upsample_channels=(32, 32),
        channels=32,
        skip_channels=32))
