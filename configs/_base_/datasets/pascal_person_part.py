# PASCAL-Person-Part: 7 classes, 1,716 train / 1,817 test ("val") images.
# Layout (make it with tools/dataset_converters/pascal_person_part.py):
#   data/pascal_person_part/img_dir/{train,val}/*.jpg
#   data/pascal_person_part/ann_dir/{train,val}/*.png
# Same recipe as LIP (MMAN §4.2): shorter side 288, random 256x256 crop,
# horizontal flip (no left/right classes, so no label swap), batch size 1.
# Paper: MMAN 58.45 mIoU on the test split.
# custom_imports=['mmseg_mman'] comes from _base_/default_runtime.py.
dataset_type = 'PascalPersonPartDataset'
data_root = 'data/pascal_person_part'
num_classes = 7
crop_size = (256, 256)
short_side = 288
max_long_side = 8 * short_side
tta_scales = [0.8, 1.0, 1.2]

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
            img_path='img_dir/train', seg_map_path='ann_dir/train'),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
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
