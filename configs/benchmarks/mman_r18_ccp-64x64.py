# MMAN on the Clothing Co-Parsing photos (8 coarse classes) at the size of the
# CPU demo, for tools/benchmarks/quality.py: ResNetV1c-18 from scratch, the
# demo's narrow MMANHead and discriminators, Adam 1e-3, batch 8. The photos
# (550 x ~830) are resized to a shorter side of 72 (72 x ~109), as the
# synthetic data, with random 64x64 crops and flips (CCP has no left/right).
# Make the data: python tools/dataset_converters/ccp.py <ccp root> -o data/ccp
_base_ = '../demo/mman_r18_synthetic-lip.py'
dataset_type = 'CCPDataset'
data_root = 'data/ccp'
num_classes = 8
crop_size = (64, 64)
short_side = 72
max_long_side = 4 * short_side
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
                    max_size=max_long_side) for scale in _base_.tta_scales
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
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='img_dir/train', seg_map_path='ann_dir/train'),
        pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(img_path='img_dir/val', seg_map_path='ann_dir/val'),
        pipeline=test_pipeline))
test_dataloader = val_dataloader
model = dict(
    decode_head=dict(num_classes=num_classes), test_cfg=dict(flip_pairs=None))
