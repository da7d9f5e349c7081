# The reference of tools/benchmarks/inference_cost.py at the paper's size: the
# MMAN generator's ResNetV1c-101 (output stride 16) with mmseg's plain ASPPHead
# (DeepLabV3, head width 512 as mmseg's deeplabv3 configs; dilations of
# MMANHead's ASPP) in a plain EncoderDecoder, one cross-entropy loss, no
# discriminator, trained with the LIP schedule of configs/mman_r101_lip.py.
_base_ = '../mman/mman_r101-d16_1xb1-30e_lip-256x256.py'
model = dict(
    _delete_=True,
    type='EncoderDecoder',
    data_preprocessor=_base_.data_preprocessor,
    pretrained=_base_.model.pretrained,
    backbone=_base_.model.backbone,
    decode_head=dict(
        type='ASPPHead',
        in_channels=2048,
        in_index=3,
        channels=512,
        dilations=(1, 2, 4, 6),
        dropout_ratio=0.1,
        num_classes=_base_.num_classes,
        norm_cfg=_base_.norm_cfg,
        align_corners=False,
        loss_decode=dict(type='CrossEntropyLoss', loss_weight=1.0)),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
optim_wrapper = dict(_delete_=True, type='OptimWrapper', optimizer=_base_.optimizer)
param_scheduler = _base_.lr_schedule
# LowResIoUMetric needs MMANHead's low-resolution output.
val_evaluator = [
    dict(type='IoUMetric', iou_metrics=['mIoU']),
    dict(type='IPRMetric'),
]
test_evaluator = val_evaluator
