# The synthetic two-domain task of mmseg_mman/synthetic/domains.py:
# 32x32 scenes with a layout prior (class 0 top band, class 2 bottom band,
# class 1 middle band + a small square); the target domain has permuted,
# low-contrast colours. Train on labelled source + unlabelled target images,
# validate on the target. Make the data first:
#   python tools/misc/make_synthetic_domains.py data/synthetic_domains
dataset_type = 'BaseSegDataset'
data_root = 'data/synthetic_domains'
num_classes = 3
crop_size = (32, 32)
metainfo = dict(
    classes=('top band', 'middle band', 'bottom band'),
    palette=[[230, 120, 40], [60, 170, 80], [40, 90, 200]])

source_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackSegInputs')
]
# No LoadAnnotations: target labels are neither needed nor written.
target_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackSegInputs')
]
test_pipeline = [dict(type='LoadImageFromFile'), dict(type='LoadAnnotations'), dict(type='PackSegInputs')]


def domain_split(domain, split, pipeline, labelled=True):
    prefix = dict(img_path=f'{domain}/img_dir/{split}')
    if labelled:
        prefix['seg_map_path'] = f'{domain}/ann_dir/{split}'
    return dict(
        type=dataset_type,
        data_root=data_root,
        metainfo=metainfo,
        img_suffix='.png',
        seg_map_suffix='.png',
        reduce_zero_label=False,
        data_prefix=prefix,
        pipeline=pipeline)


train_dataloader = dict(
    batch_size=8,
    num_workers=0,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type='DomainAdaptationDataset',
        source=domain_split('source', 'train', source_pipeline),
        target=domain_split('target', 'train', target_pipeline, False)))
val_dataloader = dict(
    batch_size=8,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=domain_split('target', 'val', test_pipeline))
test_dataloader = val_dataloader
# Not used by the runner: demo/adaptation_demo.py also evaluates on the
# source domain, to show that adapting keeps the source accuracy.
source_val_dataloader = dict(val_dataloader, dataset=domain_split('source', 'val', test_pipeline))
val_evaluator = dict(type='IoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator
