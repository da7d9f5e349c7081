# AdaptSegNet, multi-level (Tsai et al., CVPR 2018, Table 1): DeepLab-v2
# ResNet-101 trained on labelled GTA5 and unlabelled Cityscapes, one
# discriminator on the layer3 output (lambda 0.0002) and one on the layer4
# output (lambda 0.001), evaluated on Cityscapes val (19 classes). Paper:
# source only 36.6, single-level 41.4, multi-level 42.4 mIoU.
#   python tools/train.py configs/adaptsegnet/adaptsegnet_r101-d8_1xb1-150k_gta5-to-cityscapes-720x1280.py
_base_ = [
    '../_base_/models/adaptsegnet_r50-d8.py', '../_base_/datasets/gta5_to_cityscapes.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_150k.py'
]
model = dict(
    data_preprocessor=dict(size=_base_.source_size, target_size=_base_.target_size),
    pretrained='open-mmlab://resnet101_v1c',
    backbone=dict(depth=101),
    decode_head=dict(num_classes=_base_.num_classes),
    auxiliary_head=dict(num_classes=_base_.num_classes))
