# AdaptSegNet for human parsing: DeepLab-v2 ResNet-101 trained on labelled LIP
# person crops and unlabelled Clothing Co-Parsing street-fashion photos,
# evaluated on CCP val after merging the 20 LIP classes into CCP's 8 coarse
# ones. Not a paper benchmark: an example of the method outside driving scenes.
_base_ = [
    '../_base_/models/adaptsegnet_r50-d8.py', '../_base_/datasets/lip_to_ccp.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_150k.py'
]
model = dict(
    data_preprocessor=dict(size=_base_.crop_size),
    pretrained='open-mmlab://resnet101_v1c',
    backbone=dict(depth=101),
    decode_head=dict(num_classes=_base_.num_classes),
    auxiliary_head=dict(num_classes=_base_.num_classes),
    test_cfg=dict(flip_pairs=_base_.flip_pairs))
