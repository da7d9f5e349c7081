# SeeNet (Hou et al., NeurIPS 2018): a tag classifier with self-erasing
# branches S_A, S_B, S_C on one backbone feature at output stride 16 (the
# paper's VGG16 without pool5; mmseg has no VGG, so ResNetV1c with layer4
# dilated by 2, as _base_/models/mman_r50-d16.py). The deploy prototxt's
# thresholds at inference (0.8 / 0.0: erase only), the paper's for training
# (0.7 / 0.05). Prediction makes pseudo labels with `label_rule`: the
# saliency-free threshold rule by default; configs/seenet/*sal* use the
# harmonic-mean rule with a saliency source. test_cfg.flip: flip-max.
# The CAM baseline is this model with decode_head.self_erasing=False.
norm_cfg = dict(type='BN', requires_grad=True)
data_preprocessor = dict(
    type='SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255,
    # Batches of photos of any size: padded to a multiple of the output stride.
    size_divisor=16,
    test_cfg=dict(size_divisor=16))
model = dict(
    type='SeeNet',
    data_preprocessor=data_preprocessor,
    pretrained='open-mmlab://resnet50_v1c',
    backbone=dict(
        type='ResNetV1c',
        depth=50,
        num_stages=4,
        out_indices=(3, ),
        strides=(1, 2, 2, 1),
        dilations=(1, 1, 1, 2),
        norm_cfg=norm_cfg,
        norm_eval=True,
        style='pytorch',
        contract_dilation=True),
    decode_head=dict(
        type='SeeNetHead',
        in_channels=2048,
        in_index=0,
        channels=512,
        num_classes=8,
        self_erasing=True,
        share_bc=True,
        delta_h=0.7,
        delta_l=0.05,
        test_delta_h=0.8,
        test_delta_l=0.0,
        dropout_ratio=0.5,
        warmup_iters=0),
    label_rule=dict(type='ThresholdRule', bg_score=0.15),
    test_cfg=dict(mode='whole', flip=True))
