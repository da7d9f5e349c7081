# PPSS (Pedestrian Parsing in Surveillance Scenes): 8 classes, read from the
# original release, no conversion (mmseg_mman.datasets.PPSSDataset):
#   data/PPSS/TrainData/<video>/<frame>.jpg + <frame>_m.png  (videos 1-100)
#   data/PPSS/TestData/<video>/<frame>.jpg + <frame>_m.png   (videos 101-171)
# Masks store grey levels; LoadPPSSAnnotations decodes them and resizes a mask
# that is not the size of its image (nearest neighbour). No left/right
# classes: flip without label swap. For the paper's LIP -> PPSS transfer test
# use lip_to_ppss.py instead.
# custom_imports=['mmseg_mman'] comes from _base_/default_runtime.py.
dataset_type = 'PPSSDataset'
data_root = 'data/PPSS'
num_classes = 8
crop_size = (256, 256)
short_side = 288
max_long_side = 8 * short_side

train_pipeline = [
    dict(type='LoadImageFromFile', color_type='color'),
    dict(type='LoadPPSSAnnotations'),
    dict(type='CheckSegMapValues', num_classes=num_classes),
    dict(type='ResizeShortestEdge', scale=short_side, max_size=max_long_side),
    dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=1.0),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackSegInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile', color_type='color'),
    dict(type='ResizeShortestEdge', scale=short_side, max_size=max_long_side),
    dict(type='LoadPPSSAnnotations'),
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
        videos='train',
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        videos='test',
        pipeline=test_pipeline))
test_dataloader = val_dataloader

# LowResIoUMetric needs the MMAN segmentor in 'whole' test mode.
val_evaluator = [
    dict(type='IoUMetric', iou_metrics=['mIoU']),
    dict(type='LowResIoUMetric'),
    dict(type='IPRMetric'),
]
test_evaluator = val_evaluator
