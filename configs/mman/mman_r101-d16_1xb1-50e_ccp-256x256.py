# MMAN on Clothing Co-Parsing photos (8 coarse classes; 643 train / 161 val with
# tools/dataset_converters/ccp.py's seeded split), the LIP recipe with the
# PASCAL-Person-Part schedule: 50 epochs, lr /10 after 25. Not a paper benchmark.
_base_ = [
    '../_base_/models/mman_r50-d16.py', '../_base_/datasets/ccp.py', '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_50e.py'
]
crop_size = _base_.crop_size
data_preprocessor = dict(size=crop_size)
model = dict(
    data_preprocessor=data_preprocessor,
    pretrained='open-mmlab://resnet101_v1c',
    backbone=dict(depth=101),
    decode_head=dict(num_classes=_base_.num_classes),
    test_cfg=dict(flip_pairs=None))
