# LIP (Look Into Person): 20 classes, 30,462 train / 10,000 val images.
# Layout (mmseg's LIPDataset; make it with tools/dataset_converters/lip.py):
#   data/LIP/{train_images,val_images}/*.jpg
#   data/LIP/{train_segmentations,val_segmentations}/*.png
# Recipe of MMAN (Luo et al., ECCV 2018, §4.2): shorter side resized to 288,
# random 256x256 crop, random horizontal flip with left/right labels swapped,
# batch size 1, no photometric augmentation; test at the shorter side 288,
# optional multi-scale {0.8, 1, 1.2} x flip test-time augmentation.
# CheckSegMapValues and the metrics come from mmseg_mman: custom_imports is set
# in _base_/default_runtime.py (mmengine rejects a key set in two _base_ files).
dataset_type = 'LIPDataset'
data_root = 'data/LIP'
num_classes = 20
crop_size = (256, 256)
short_side = 288
# Only guards against degenerate aspect ratios; LIP images never reach it.
max_long_side = 8 * short_side
# Left-Right pairs: arms (14, 15), legs (16, 17), shoes (18, 19).
flip_pairs = [(14, 15), (16, 17), (18, 19)]
tta_scales = [0.8, 1.0, 1.2]

train_pipeline = [
    # color_type='color': some LIP JPEGs are grayscale.
    dict(type='LoadImageFromFile', color_type='color'),
    dict(type='LoadAnnotations'),
    dict(type='CheckSegMapValues', num_classes=num_classes),
    dict(type='ResizeShortestEdge', scale=short_side, max_size=max_long_side),
    # Plain random crop, as in the paper (no category-ratio resampling).
    dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=1.0),
    dict(type='RandomFlip', prob=0.5, swap_seg_labels=flip_pairs),
    dict(type='PackSegInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile', color_type='color'),
    dict(type='ResizeShortestEdge', scale=short_side, max_size=max_long_side),
    # after the resize: the ground truth stays at the original image size
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
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='train_images', seg_map_path='train_segmentations'),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='val_images', seg_map_path='val_segmentations'),
        pipeline=test_pipeline))
test_dataloader = val_dataloader

# mIoU at the original resolution (paper: MMAN 46.81), mIoU of the
# low-resolution output (56.95) and isolated pixel rate (2.47).
# LowResIoUMetric needs the MMAN segmentor in 'whole' test mode: drop it
# when testing with --tta or slide inference.
val_evaluator = [
    dict(type='IoUMetric', iou_metrics=['mIoU']),
    dict(type='LowResIoUMetric'),
    dict(type='IPRMetric'),
]
test_evaluator = val_evaluator
