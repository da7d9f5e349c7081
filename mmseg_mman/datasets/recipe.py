"""The data recipes: MMAN's (Luo et al., ECCV 2018, §4.2) for any human-parsing label set, and the
tag classifiers' (SeeNet).

Written once, as config dicts: configs/_base_/datasets/human_parsing.py applies it to every
dataset of the project (its table ``human_parsing``), and a config-only dataset
(``ParsingFolderDataset``) applies it to its own classes in its config, so that both get the same
pipelines. mmengine evaluates a base config before its children and never re-evaluates it with a
child's variables, hence a function the configs import rather than variables they override.
"""
from typing import Optional, Sequence, Tuple

#: The scales of the paper's multi-scale test (x horizontal flip).
TTA_SCALES = (0.8, 1.0, 1.2)


def human_parsing_recipe(num_classes: int,
                         flip_pairs: Optional[Sequence[Tuple[int, int]]] = None,
                         crop_size: Tuple[int, int] = (256, 256),
                         short_side: int = 288,
                         max_long_side_ratio: int = 8,
                         seg_loader: str = 'LoadAnnotations') -> dict:
    """Shorter side resized to ``short_side``, random ``crop_size`` crop, random horizontal flip
    with the left/right labels ``flip_pairs`` swapped, no photometric augmentation; test at the
    shorter side, optional multi-scale :data:`TTA_SCALES` x flip test-time augmentation.

    Returns:
        ``num_classes``, ``flip_pairs``, ``crop_size``, ``short_side``, ``max_long_side`` and the
        pipelines ``train``, ``test``, ``tta`` and ``unlabelled`` (the train pipeline without
        labels, for target domains).
    """
    # The long-side cap only guards against degenerate aspect ratios.
    max_long_side = max_long_side_ratio * short_side
    # color_type='color': some LIP JPEGs are grayscale.
    load_image = dict(type='LoadImageFromFile', color_type='color')
    resize = dict(type='ResizeShortestEdge', scale=short_side, max_size=max_long_side)
    load_seg = dict(type=seg_loader)
    check = dict(type='CheckSegMapValues', num_classes=num_classes)
    flip = dict(type='RandomFlip', prob=0.5)
    if flip_pairs:
        flip['swap_seg_labels'] = [tuple(pair) for pair in flip_pairs]
    pack = dict(type='PackSegInputs')
    return dict(
        num_classes=num_classes,
        flip_pairs=flip_pairs,
        crop_size=crop_size,
        short_side=short_side,
        max_long_side=max_long_side,
        train=[
            load_image,
            load_seg,
            check,
            resize,
            # Plain random crop, as in the paper (no category-ratio resampling).
            dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=1.0),
            flip,
            pack
        ],
        # Labels loaded after the resize: the ground truth stays at the
        # original image size.
        test=[load_image, resize, load_seg, check, pack],
        tta=[
            load_image,
            dict(
                type='TestTimeAug',
                transforms=[
                    [dict(resize, scale=round(short_side * scale)) for scale in TTA_SCALES],
                    [
                        dict(type='RandomFlip', prob=0., direction='horizontal'),
                        dict(type='RandomFlip', prob=1., direction='horizontal')
                    ],
                    [load_seg],
                    [check],
                    [pack],
                ])
        ],
        # No LoadAnnotations: target-domain labels are never used in training.
        unlabelled=[
            load_image, resize,
            dict(type='RandomCrop', crop_size=crop_size),
            dict(type='RandomFlip', prob=0.5), pack
        ])


def split_dataset(dataset_type: str, data_root: str, split: str, pipeline: Sequence[dict]) -> dict:
    """The ``dataset`` of a dataloader over one split of mmseg's converted layout,
    ``<data_root>/img_dir/<split>`` and ``<data_root>/ann_dir/<split>`` (what every converter of
    this project writes)."""
    return dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(img_path=f'img_dir/{split}', seg_map_path=f'ann_dir/{split}'),
        pipeline=pipeline)


def tag_pipelines(load_tags: dict, val_tags: dict, resize: dict) -> dict:
    """The pipelines of a tag classifier (SeeNet, CAM), written once for every tag source.

    Args:
        load_tags (dict): The tag transform of the tag-only photos (``LoadCCPTags``, ``LoadTagsFromFile``).
        val_tags (dict): The tag transform of the pixel-labelled photos whose label maps score the
            pseudo labels (``TagsFromSegMap`` with ``remove_seg_map=False``, ``LoadCCPPixelTags``).
        resize (dict): The resize of every pipeline.

    Returns:
        ``train`` (random flip; a label map reaching it is an error), ``tag_only`` (the tag-only photos
        at test time: their pseudo labels) and ``val`` (label map loaded after the resize, at the
        original size, as mmseg's test pipelines).
    """
    load_image = dict(type='LoadImageFromFile')
    return dict(
        train=[
            load_image, load_tags, resize,
            dict(type='RandomFlip', prob=0.5),
            dict(type='PackTagInputs', allow_seg_map=False)
        ],
        tag_only=[load_image, resize, load_tags, dict(type='PackTagInputs')],
        val=[load_image, resize,
             dict(type='LoadAnnotations'), val_tags,
             dict(type='PackTagInputs')])
