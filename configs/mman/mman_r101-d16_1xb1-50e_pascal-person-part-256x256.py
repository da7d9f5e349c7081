# MMAN on PASCAL-Person-Part (7 classes, 1,716 train / 1,817 test images), the
# paper's recipe: ResNet-101 OS16, Macro + Micro D, Adam 2e-4, batch size 1,
# 256x256 crops, 50 epochs with lr /10 after 25 (paper §4.2).
# Paper: MMAN 58.45 mIoU on the test split.
_base_ = [
    '../_base_/models/mman_r50-d16.py', '../_base_/datasets/pascal_person_part.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_50e.py'
]
crop_size = _base_.crop_size
data_preprocessor = dict(size=crop_size)
model = dict(
    data_preprocessor=data_preprocessor,
    pretrained='open-mmlab://resnet101_v1c',
    backbone=dict(depth=101),
    decode_head=dict(num_classes=_base_.num_classes),
    # no left/right classes: nothing to swap in flipped views
    test_cfg=dict(flip_pairs=None))
