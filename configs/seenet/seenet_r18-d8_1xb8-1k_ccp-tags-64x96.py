# SeeNet on CCP's 1,094 tag-only photos at CPU scale: the synthetic CPU model
# (ResNetV1c-18 at quarter width, output stride 8, from scratch, S_A warm-up
# 100, Adam 1e-3, 1,000 iterations of batch 8) on photos resized to 64x96.
# These CCP configs keep the Caffe init (N(0, 0.01)) and the 100-iteration
# warm-up they were measured with; the synthetic ones moved to Kaiming init and
# 300 (see seenet_r18-d8_1xb8-1k_synthetic-weak-64x64.py).
# Test = the pixel-labelled val photos of the converted CCP (CCP_DATA), tags
# derived from their masks, which only score the pseudo labels:
#   CCP_ROOT=path/to/clothing-co-parsing CCP_DATA=data/ccp python tools/train.py \
#       configs/seenet/seenet_r18-d8_1xb8-1k_ccp-tags-64x96.py
_base_ = './seenet_r50-d16_1xb1-30k_ccp-tags-224.py'
from mmseg_mman.datasets.recipe import tag_pipelines  # noqa: E402

size = (64, 96)  # (width, height)
width = 16
max_iters = 1000
model = dict(
    data_preprocessor=dict(size=size[::-1], size_divisor=None, test_cfg=dict(size_divisor=8)),
    pretrained=None,
    backbone=dict(
        depth=18,
        base_channels=width,
        stem_channels=width,
        strides=(1, 2, 1, 1),
        dilations=(1, 1, 2, 4),
        norm_eval=False),
    decode_head=dict(in_channels=8 * width, channels=64, warmup_iters=100))
fixed_size_resize = dict(type='Resize', scale=size, keep_ratio=False)
pipelines = tag_pipelines(_base_.load_tags, _base_.val_tags, fixed_size_resize)
train_pipeline = pipelines['train']
test_pipeline = pipelines['tag_only']
val_pipeline = pipelines['val']
train_dataloader = dict(
    batch_size=8, num_workers=0, persistent_workers=False, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(num_workers=0, persistent_workers=False, dataset=dict(pipeline=val_pipeline))
# Score the pseudo labels of the val photos (not the tag-only photos of the base's test set).
test_dataloader = dict(
    _delete_=True,
    batch_size=1,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(_base_.val_dataloader.dataset, pipeline=val_pipeline))
test_evaluator = dict(_delete_=True, type='PseudoLabelMetric', taus=(0.3, ))
optim_wrapper = dict(
    _delete_=True,
    type='OptimWrapper',
    optimizer=dict(type='Adam', lr=1e-3, betas=(0.9, 0.999), weight_decay=1e-4))
param_scheduler = []
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
default_hooks = dict(logger=dict(interval=100), checkpoint=dict(interval=max_iters))
env_cfg = dict(cudnn_benchmark=False, dist_cfg=dict(backend='gloo'))
randomness = dict(seed=0)
