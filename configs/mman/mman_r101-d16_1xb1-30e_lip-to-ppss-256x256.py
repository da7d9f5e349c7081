# LIP -> PPSS transfer (paper Table 3): a LIP-trained MMAN model evaluated on the
# PPSS test videos (101-171) without fine-tuning, its 20 LIP labels merged into
# the 8 PPSS classes. Reports the 8-class mIoU, `mIoU_7cls` (the paper's average
# without shoes; MMAN: 52.1) and per-class IoU:
#   python tools/test.py configs/mman/mman_r101-d16_1xb1-30e_lip-to-ppss-256x256.py LIP_CHECKPOINT
# Training with this config trains on LIP (as mman_r101_lip.py) and validates on PPSS.
_base_ = [
    '../_base_/models/mman_r50-d16.py', '../_base_/datasets/lip_to_ppss.py', '../_base_/default_runtime.py',
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
