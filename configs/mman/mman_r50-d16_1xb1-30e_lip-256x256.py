# MMAN on LIP with a ResNet-50 generator (output stride 16); the paper's
# ResNet-101 recipe is mman_r101_lip.py.
_base_ = [
    '../_base_/models/mman_r50-d16.py', '../_base_/datasets/lip.py', '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_30e.py'
]
crop_size = _base_.crop_size
data_preprocessor = dict(size=crop_size)
model = dict(
    data_preprocessor=data_preprocessor,
    decode_head=dict(num_classes=_base_.num_classes),
    test_cfg=dict(flip_pairs=_base_.flip_pairs))
