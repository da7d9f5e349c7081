# MMAN on a labelled folder of your own (configs/_base_/datasets/parsing_folder.py:
# classes, palette, folders and left/right pairs set there, no Python), the LIP
# recipe: ResNet-101 OS16, Macro + Micro D, Adam 2e-4, batch size 1, 256x256
# crops, 30 epochs with lr /10 after 15. The discriminators' inputs and the
# heads take their class count from the dataset's classes.
_base_ = [
    '../_base_/models/mman_r50-d16.py', '../_base_/datasets/parsing_folder.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_30e.py'
]
crop_size = _base_.crop_size
data_preprocessor = dict(size=crop_size)
model = dict(
    data_preprocessor=data_preprocessor,
    pretrained='open-mmlab://resnet101_v1c',
    backbone=dict(depth=101),
    decode_head=dict(num_classes=_base_.num_classes),
    test_cfg=dict(flip_pairs=_base_.flip_pairs))
