# Synthetic LIP-layout data for the CPU demo and for smoke tests: stick-figure
# people with all 20 LIP classes, written by tools/misc/make_synthetic_lip.py
# (96 px tall, 0.6-1.0 wide). The recipe of human_parsing.py scaled down:
# shorter side 72, random 64x64 crop, flip with left/right swap; batches of 8
# for a CPU, iteration-based schedules (infinite sampler).
_base_ = ['./human_parsing.py']
dataset_type = 'CheckedLIPDataset'
data_root = 'data/synthetic_lip'
num_classes = _base_.human_parsing.synthetic_lip.num_classes
flip_pairs = _base_.human_parsing.synthetic_lip.flip_pairs
crop_size = _base_.human_parsing.synthetic_lip.crop_size
train_pipeline = _base_.human_parsing.synthetic_lip.train
test_pipeline = _base_.human_parsing.synthetic_lip.test
tta_pipeline = _base_.human_parsing.synthetic_lip.tta
train_dataloader = dict(
    _delete_=True,
    batch_size=8,
    num_workers=0,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(img_path='train_images', seg_map_path='train_segmentations'),
        pipeline=train_pipeline))
val_dataloader = dict(
    _delete_=True,
    batch_size=1,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(img_path='val_images', seg_map_path='val_segmentations'),
        pipeline=test_pipeline))
test_dataloader = dict(val_dataloader)
