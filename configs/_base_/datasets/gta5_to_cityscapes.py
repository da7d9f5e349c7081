# GTA5 (labelled source) -> Cityscapes (unlabelled target), AdaptSegNet's
# recipe: all 24,966 GTA5 frames resized to 1280x720 (no crop, no flip), one
# source and one target image per iteration. Layout (labels made by
# tools/dataset_converters/gta5.py):
#   data/gta5/images/NNNNN.png
#   data/gta5/labels/NNNNN_labelTrainIds.png
_base_ = ['./cityscapes_adaptation_target.py']
source_type = 'GTA5Dataset'
source_root = 'data/gta5'
source_scale = (1280, 720)  # (w, h) for Resize
source_size = (720, 1280)  # (h, w) for the data preprocessor

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
            data_prefix=dict(img_path='images', seg_map_path='labels'),
            pipeline=source_pipeline),
        target=_base_.target_train))
