# The reference of tools/benchmarks/inference_cost.py: the CPU demo's
# ResNetV1c-18 (output stride 16) with mmseg's plain ASPPHead (DeepLabV3) in a
# plain EncoderDecoder, one cross-entropy loss, no discriminator. Head width
# 128 as mmseg's deeplabv3_r18-d8 configs; dilations of MMANHead's ASPP.
_base_ = '../demo/mman_r18-d16_1xb8-0.4k_synthetic-lip-64x64.py'
model = dict(
    _delete_=True,
    type='EncoderDecoder',
    data_preprocessor=_base_.data_preprocessor,
    pretrained=None,
    backbone=_base_.model.backbone,
    decode_head=dict(
        type='ASPPHead',
        in_channels=512,
        in_index=3,
        channels=128,
        dilations=(1, 2, 4, 6),
        dropout_ratio=0.1,
        num_classes=_base_.num_classes,
        norm_cfg=_base_.norm_cfg,
        align_corners=False,
        loss_decode=dict(type='CrossEntropyLoss', loss_weight=1.0)),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
optim_wrapper = dict(_delete_=True, type='OptimWrapper', optimizer=_base_.optimizer)
# LowResIoUMetric needs MMANHead's low-resolution output.
val_evaluator = [
    dict(type='IoUMetric', iou_metrics=['mIoU']),
    dict(type='IPRMetric'),
]
test_evaluator = val_evaluator
