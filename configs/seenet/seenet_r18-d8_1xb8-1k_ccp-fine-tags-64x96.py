# seenet_r18-d8_1xb8-1k_ccp-tags-64x96.py in CCP's fine tag vocabulary: the
# classifier learns attention for the 58 garment labels of label_list.txt
# (LoadCCPTags, vocabulary='fine'), and CCPTagFolding folds it into the 8
# coarse classes (max over a class's garments) before the pseudo-label rule,
# so pseudo labels, PNGs and scores are in the classes the CCP parsers train
# on. Most coarse tags are in nearly every photo (Skin in all 1,094); the fine
# ones say which garments to look for. The val photos get their fine tags from
# the release's pixel-level .mat (LoadCCPPixelTags); their converted coarse
# masks only score.
#   CCP_ROOT=path/to/clothing-co-parsing CCP_DATA=data/ccp python tools/train.py \
#       configs/seenet/seenet_r18-d8_1xb8-1k_ccp-fine-tags-64x96.py
_base_ = './seenet_r18-d8_1xb8-1k_ccp-tags-64x96.py'
from mmseg_mman.datasets.recipe import tag_pipelines  # noqa: E402

load_tags = dict(_base_.load_tags, vocabulary='fine')
pixel_level_tags = dict(
    type='LoadCCPPixelTags',
    tag_dir=f'{_base_.data_root}/annotations/pixel-level',
    label_list=load_tags['label_list'],
    vocabulary='fine')
model = dict(
    decode_head=dict(num_classes=_base_.num_fine_classes),
    tag_folding=dict(type='CCPTagFolding', label_list=load_tags['label_list']))
pipelines = tag_pipelines(load_tags, pixel_level_tags, _base_.fixed_size_resize)
train_pipeline = pipelines['train']
test_pipeline = pipelines['tag_only']
val_pipeline = pipelines['val']
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=val_pipeline))
