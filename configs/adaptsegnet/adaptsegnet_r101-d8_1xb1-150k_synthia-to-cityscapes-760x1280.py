# AdaptSegNet, multi-level (Tsai et al., CVPR 2018, Table 3): DeepLab-v2
# ResNet-101 trained on labelled SYNTHIA-RAND-CITYSCAPES and unlabelled
# Cityscapes, evaluated on Cityscapes val. Reports mIoU13 (the paper's 13
# classes; multi-level 46.7, source only 38.6), mIoU16 and the 19-class mIoU;
# the best checkpoint is kept by mIoU13.
_base_ = [
    '../_base_/models/adaptsegnet_r50-d8.py', '../_base_/datasets/synthia_to_cityscapes.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_150k.py'
]
model = dict(
    data_preprocessor=dict(size=_base_.source_size, target_size=_base_.target_size),
    pretrained='open-mmlab://resnet101_v1c',
    backbone=dict(depth=101),
    decode_head=dict(num_classes=_base_.num_classes),
    auxiliary_head=dict(num_classes=_base_.num_classes))
default_hooks = dict(checkpoint=dict(save_best='mIoU13'))
