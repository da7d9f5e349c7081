# Synthetic LIP-layout data for the CPU demo and for smoke tests: stick-figure
# people with all 20 LIP classes, written by tools/misc/make_synthetic_lip.py
# (96 px tall, 0.6-1.0 wide). Same recipe as LIP scaled down: shorter side 72,
# random 64x64 crop, flip with left/right swap; batches of 8 for a CPU.
dataset_type = 'LIPDataset'
data_root = 'data/synthetic_lip'
num_classes = 20
crop_size = (64, 64)
short_side = 72
max_long_side = 4 * short_side
flip_pairs = [(14, 15), (16, 17), (18, 19)]
tta_scales = [0.8, 1.0, 1.2]

train_pipeline = [
    dict(type='LoadImageFromFile', color_type='color'),
    dict(type='LoadAnnotations'),
    dict(type='CheckSegMapValues', num_classes=num_classes),
    dict(type='ResizeShortestEdge', scale=short_side, max_size=max_long_side),
    dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=1.0),
    dict(type='RandomFlip', prob=0.5, swap_seg_labels=flip_pairs),
    dict(type='PackSegInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile', color_type='color'),
    dict(type='ResizeShortestEdge', scale=short_side, max_size=max_long_side),
    dict(type='LoadAnnotations'),
    dict(type='CheckSegMapValues', num_classes=num_classes),
    dict(type='PackSegInputs')
]
tta_pipeline = [
    dict(type='LoadImageFromFile', color_type='color'),
    dict(
        type='TestTimeAug',
        transforms=[
            [
                dict(
                    type='ResizeShortestEdge',
                    scale=round(short_side * scale),
                    max_size=max_long_side) for scale in tta_scales
            ],
            [
                dict(type='RandomFlip', prob=0., direction='horizontal'),
                dict(type='RandomFlip', prob=1., direction='horizontal')
            ],
            [dict(type='LoadAnnotations')],
            [dict(type='CheckSegMapValues', num_classes=num_classes)],
            [dict(type='PackSegInputs')],
        ])
]
train_dataloader = dict(
    batch_size=8,
    num_workers=0,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='train_images', seg_map_path='train_segmentations'),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='val_images', seg_map_path='val_segmentations'),
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = [
    dict(type='IoUMetric', iou_metrics=['mIoU']),
    dict(type='LowResIoUMetric'),
    dict(type='IPRMetric'),
]
test_evaluator = val_evaluator
