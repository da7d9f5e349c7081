# Stanford Background (Gould et al., ICCV 2009): 715 outdoor scenes of about
# 320x240, 8 classes (sky, tree, road, grass, water, building, mountain,
# foreground object), unknown pixels = 255. The scene-labelling benchmark of
# Luc et al. 2016 (adversarial segmentation networks, §4.1), who report
# per-class accuracy (mmseg's mAcc), pixel accuracy (aAcc) and mIoU. Here
# training and testing use the images at their own size.
# Layout (make it with tools/dataset_converters/stanford_background.py,
# seeded 572 / 143 split = one fold of a five-fold cross-validation):
#   data/stanford_background/img_dir/{train,val}/<stem>.jpg
#   data/stanford_background/ann_dir/{train,val}/<stem>.png
# Not a human-parsing set, so not human_parsing.py's recipe (no 288 resize, no
# 256 crop): images are used at their size, only flipped at random (no
# left/right classes, so no label swap). The (240, 320) crop only trims the
# few images larger than 320x240; pad batches to `crop_size` in the model's
# data_preprocessor (size=crop_size) when batch_size > 1.
# custom_imports=['mmseg_mman'] (CheckSegMapValues) comes from
# _base_/default_runtime.py.
dataset_type = 'StanfordBackgroundDataset'
data_root = 'data/stanford_background'
num_classes = 8
crop_size = (240, 320)  # (h, w)

train_pipeline = [
    dict(type='LoadImageFromFile', color_type='color'),
    dict(type='LoadAnnotations'),
    dict(type='CheckSegMapValues', num_classes=num_classes),
    dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=1.0),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackSegInputs')
]
# Evaluation at the original resolution: no resize.
test_pipeline = [
    dict(type='LoadImageFromFile', color_type='color'),
    dict(type='LoadAnnotations'),
    dict(type='CheckSegMapValues', num_classes=num_classes),
    dict(type='PackSegInputs')
]
train_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(img_path='img_dir/train', seg_map_path='ann_dir/train'),
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
# iou_metrics=['mIoU'] reports aAcc (pixel accuracy), mIoU and mAcc (mean
# per-class accuracy), and the per-class IoU / Acc table.
val_evaluator = dict(type='IoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator
