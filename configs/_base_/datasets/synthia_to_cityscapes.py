# SYNTHIA-RAND-CITYSCAPES (labelled source) -> Cityscapes (unlabelled
# target), AdaptSegNet's recipe: all 9,400 SYNTHIA frames at their 1280x760
# size, one source and one target image per iteration. The model predicts the
# 19 Cityscapes classes; SYNTHIA labels 16 of them, and results are the mean
# IoU over those 16 (mIoU16) and over the 13 AdaptSegNet reports (mIoU13: also
# without wall, fence, pole); `mIoU` is the 19-class mean. Layout (labels made
# by tools/dataset_converters/synthia.py):
#   data/synthia/RGB/NNNNNNN.png
#   data/synthia/GT/LABELS/NNNNNNN_labelTrainIds.png
_base_ = ['./cityscapes_adaptation_target.py']
source_type = 'SynthiaDataset'
source_root = 'data/synthia'
source_scale = (1280, 760)  # (w, h) for Resize
source_size = (760, 1280)  # (h, w) for the data preprocessor
# = mmseg_mman.datasets.SYNTHIA_16_CLASSES / SYNTHIA_13_CLASSES
synthia_16_classes = [
    'road', 'sidewalk', 'building', 'wall', 'fence', 'pole', 'traffic light', 'traffic sign', 'vegetation',
    'sky', 'person', 'rider', 'car', 'bus', 'motorcycle', 'bicycle'
]
synthia_13_classes = [name for name in synthia_16_classes if name not in ('wall', 'fence', 'pole')]

source_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='Resize', scale=source_scale, keep_ratio=False),
    dict(type='PackSegInputs')
]
train_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type='DomainAdaptationDataset',
        source=dict(
            type=source_type,
            data_root=source_root,
            data_prefix=dict(img_path='RGB', seg_map_path='GT/LABELS'),
            pipeline=source_pipeline),
        target=_base_.target_train))
val_evaluator = dict(
    type='SubsetIoUMetric', class_subsets=dict(mIoU16=synthia_16_classes, mIoU13=synthia_13_classes))
test_evaluator = val_evaluator
