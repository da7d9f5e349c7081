# MMAN on CIHP (20 classes in CIHP's order, 28,280 train / 5,000 val images),
# the paper's LIP recipe: ResNet-101 OS16, Macro + Micro D, Adam 2e-4, batch
# size 1, 256x256 crops, 30 epochs with lr /10 after 15. Not a paper benchmark
# (MMAN reports LIP, PASCAL-Person-Part and PPSS).
_base_ = [
    '../_base_/models/mman_r50-d16.py', '../_base_/datasets/cihp.py', '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_30e.py'
]
crop_size = _base_.crop_size
data_preprocessor = dict(size=crop_size)
model = dict(
    data_preprocessor=data_preprocessor,
    pretrained='open-mmlab://resnet101_v1c',
    backbone=dict(depth=101),
    decode_head=dict(num_classes=_base_.num_classes),
    test_cfg=dict(flip_pairs=_base_.flip_pairs))
