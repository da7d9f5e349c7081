# Cityscapes as the unlabelled target of GTA5 / SYNTHIA -> Cityscapes
# adaptation (AdaptSegNet, Tsai et al. CVPR 2018, §4): training images
# (leftImg8bit/train) resized to 1024x512, no labels; validation on the 500 val
# images at 1024x512, predictions resized back to 2048x1024 and compared with
# the full-resolution labels. mmseg's Cityscapes layout (its converter,
# tools/dataset_converters/cityscapes.py in mmsegmentation, writes
# *_gtFine_labelTrainIds.png). The source files inherit this one.
target_type = 'CityscapesDataset'
target_root = 'data/cityscapes'
num_classes = 19
target_scale = (1024, 512)  # (w, h) for Resize
target_size = (512, 1024)  # (h, w) for the data preprocessor

# No LoadAnnotations: target labels are never used in training.
target_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=target_scale, keep_ratio=False),
    dict(type='PackSegInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=target_scale, keep_ratio=True),
    # after the resize: the ground truth stays at 2048x1024
    dict(type='LoadAnnotations'),
    dict(type='PackSegInputs')
]
target_train = dict(
    type=target_type,
    data_root=target_root,
    data_prefix=dict(img_path='leftImg8bit/train'),
    pipeline=target_pipeline)
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=target_type,
        data_root=target_root,
        data_prefix=dict(img_path='leftImg8bit/val', seg_map_path='gtFine/val'),
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='IoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator
