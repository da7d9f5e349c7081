# MMAN on Clothing Co-Parsing photos (8 coarse classes; 643 train / 161 val with
# tools/dataset_converters/ccp.py's seeded split), the LIP recipe with the
# PASCAL-Person-Part length: 50 epochs, lr /10 after 25. Not a paper benchmark.
_base_ = [
    './_base_/models/mman_r50-d16.py', './_base_/datasets/ccp.py',
    './_base_/default_runtime.py', './_base_/schedules/schedule_mman_50e.py'
]
crop_size = _base_.crop_size
num_train_images = 643
iters_per_epoch = -(-num_train_images // _base_.samples_per_iter)  # ceil
max_iters = _base_.num_epochs * iters_per_epoch
lr_schedule = [
    dict(
        type='MultiStepLR',
        by_epoch=False,
        begin=0,
        end=max_iters,
        milestones=[_base_.lr_drop_epoch * iters_per_epoch],
        gamma=0.1)
]
train_cfg = dict(
    max_iters=max_iters, val_interval=_base_.val_every_epochs * iters_per_epoch)
param_scheduler = dict(generator=lr_schedule, discriminator=lr_schedule)
default_hooks = dict(checkpoint=dict(interval=iters_per_epoch))
data_preprocessor = dict(size=crop_size)
model = dict(
    data_preprocessor=data_preprocessor,
    pretrained='open-mmlab://resnet101_v1c',
    backbone=dict(depth=101),
    decode_head=dict(num_classes=_base_.num_classes),
    test_cfg=dict(flip_pairs=None))
