# The synthetic weak-supervision task (tools/misc/make_synthetic_weak.py,
# mmseg_mman/synthetic/weak.py): 64 px images, 3 object classes + background.
# Training reads the tag file only (PackTagInputs(allow_seg_map=False) fails
# if a label map ever reaches it). The test set is the training split, as in
# the pseudo-label protocol (VOC train): tools/test.py --out writes their
# pseudo labels; its labels are loaded only to score them (PseudoLabelMetric).
# Another data root: SYNTHETIC_WEAK_ROOT=path (it moves the tag files too).
dataset_type = 'BaseSegDataset'
data_root = '{{$SYNTHETIC_WEAK_ROOT:data/synthetic_weak}}'
num_classes = 4
crop_size = (64, 64)
metainfo = dict(
    classes=('background', 'red', 'green', 'blue'),
    palette=[[0, 0, 0], [230, 40, 40], [40, 210, 40], [50, 70, 230]])


def tag_file(split):
    return f'{data_root}/tags/{split}.txt'


train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadTagsFromFile', tag_file=tag_file('train'), num_classes=num_classes),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackTagInputs', allow_seg_map=False),
]


def test_pipeline(split):
    return [
        dict(type='LoadImageFromFile'),
        dict(type='LoadTagsFromFile', tag_file=tag_file(split), num_classes=num_classes),
        dict(type='LoadAnnotations'),
        dict(type='PackTagInputs'),
    ]


def loader(split, pipeline, with_labels):
    prefix = dict(img_path=f'img_dir/{split}')
    if with_labels:
        prefix['seg_map_path'] = f'ann_dir/{split}'
    return dict(
        batch_size=8 if split == 'train' and not with_labels else 1,
        num_workers=0,
        sampler=dict(
            type='InfiniteSampler' if not with_labels else 'DefaultSampler', shuffle=not with_labels),
        dataset=dict(
            type=dataset_type,
            data_root=data_root,
            metainfo=metainfo,
            img_suffix='.png',
            seg_map_suffix='.png',
            data_prefix=prefix,
            pipeline=pipeline))


train_dataloader = loader('train', train_pipeline, with_labels=False)
val_dataloader = loader('val', test_pipeline('val'), with_labels=True)
test_dataloader = loader('train', test_pipeline('train'), with_labels=True)
val_evaluator = dict(type='PseudoLabelMetric', taus=(0.3, ))
test_evaluator = val_evaluator
