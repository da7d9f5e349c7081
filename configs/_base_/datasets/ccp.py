# Clothing Co-Parsing on 8 coarse classes (see mmseg_mman.datasets.CCPDataset
# for the 59 -> 8 label table). Real street-fashion photos for local
# experiments; not a benchmark of the MMAN paper.
# Layout (make it with tools/dataset_converters/ccp.py, seeded 80/20 split):
#   data/ccp/img_dir/{train,val}/NNNN.jpg
#   data/ccp/ann_dir/{train,val}/NNNN.png
# Photos are 550 px wide, ~830 px tall; same recipe as LIP (shorter side 288,
# random 256x256 crop, flip without label swap: CCP has no left/right).
# custom_imports=['mmseg_mman'] comes from _base_/default_runtime.py.
dataset_type = 'CCPDataset'
data_root = 'data/ccp'
num_classes = 8
crop_size = (256, 256)
short_side = 288
max_long_side = 8 * short_side

train_pipeline = [
    dict(type='LoadImageFromFile', color_type='color'),
    dict(type='LoadAnnotations'),
    dict(type='CheckSegMapValues', num_classes=num_classes),
    dict(type='ResizeShortestEdge', scale=short_side, max_size=max_long_side),
    dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=1.0),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackSegInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile', color_type='color'),
    dict(type='ResizeShortestEdge', scale=short_side, max_size=max_long_side),
    dict(type='LoadAnnotations'),
    dict(type='CheckSegMapValues', num_classes=num_classes),
    dict(type='PackSegInputs')
]
train_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='img_dir/train', seg_map_path='ann_dir/train'),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(img_path='img_dir/val', seg_map_path='ann_dir/val'),
        pipeline=test_pipeline))
test_dataloader = val_dataloader

# LowResIoUMetric needs the MMAN segmentor in 'whole' test mode.
val_evaluator = [
    dict(type='IoUMetric', iou_metrics=['mIoU']),
    dict(type='LowResIoUMetric'),
    dict(type='IPRMetric'),
]
test_evaluator = val_evaluator
