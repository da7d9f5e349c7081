# Clothing Co-Parsing for weak supervision. Training: the 1,094 tag-only
# photos (1005-2098, annotations/image-level/NNNN.mat, no pixel labels) of the
# original release at CCP_ROOT, tags mapped to CCPDataset's 8 coarse classes
# (LoadCCPTags, vocabulary='coarse': the pseudo labels are then in the classes
# the CCP parsing configs train on). Test: the same photos (tools/test.py --out
# writes their pseudo labels; nothing to score). Val: the converted
# pixel-labelled val split at CCP_DATA (tools/dataset_converters/ccp.py), tags
# derived from the masks, which only score the pseudo labels.
#   CCP_ROOT=path/to/clothing-co-parsing CCP_DATA=data/ccp python tools/train.py ...
# No base; the line makes mmengine read the import below as a plain config's
# (an import without `_base_` means a lazy-import config to it).
_base_ = []
from mmseg_mman.datasets.recipe import tag_pipelines  # noqa: E402

dataset_type = 'CCPDataset'
data_root = '{{$CCP_ROOT:data/clothing-co-parsing}}'
converted_root = '{{$CCP_DATA:data/ccp}}'
num_classes = 8
# label_list.txt: null + 58 garment labels (LoadCCPTags' vocabulary='fine').
num_fine_classes = 59
short_side = 224
load_tags = dict(
    type='LoadCCPTags',
    tag_dir=f'{data_root}/annotations/image-level',
    label_list=f'{data_root}/label_list.txt',
    vocabulary='coarse')
val_tags = dict(type='TagsFromSegMap', num_classes=num_classes, remove_seg_map=False)
short_side_resize = dict(type='ResizeShortestEdge', scale=short_side, max_size=4 * short_side)
pipelines = tag_pipelines(load_tags, val_tags, short_side_resize)
train_pipeline = pipelines['train']
test_pipeline = pipelines['tag_only']
val_pipeline = pipelines['val']
tag_only_photos = dict(
    type=dataset_type,
    data_root=data_root,
    data_prefix=dict(img_path='photos'),
    ann_file='ids_image_level.txt')
train_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(tag_only_photos, pipeline=train_pipeline))
test_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(tag_only_photos, pipeline=test_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=converted_root,
        data_prefix=dict(img_path='img_dir/val', seg_map_path='ann_dir/val'),
        pipeline=val_pipeline))
val_evaluator = dict(type='PseudoLabelMetric', taus=(0.3, ))
# The tag-only photos have no masks: --out writes the pseudo labels, nothing is scored.
test_evaluator = dict(type='PseudoLabelMetric', format_only=True)
