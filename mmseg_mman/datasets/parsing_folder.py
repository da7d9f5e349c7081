"""A labelled folder of one's own, its label set defined in the config alone."""
from typing import List, Optional, Sequence, Union

from mmseg.registry import DATASETS

from .checked_dataset import CheckedSegDataset
from .flip_pairs import ClassRef, resolve_flip_pairs


@DATASETS.register_module()
class ParsingFolderDataset(CheckedSegDataset):
    """A human-parsing dataset whose classes, palette, suffixes, folders and left/right pairs are
    config arguments, so that a new label set needs no dataset class.

    Images ``<data_root>/<data_prefix.img_path>/<name><img_suffix>`` with labels
    ``<data_root>/<data_prefix.seg_map_path>/<name><seg_map_suffix>`` (sub-folders allowed, or an
    ``ann_file`` listing names), single-channel label PNGs whose values are class ids (the
    position in ``classes``) or 255 (ignored). The tree is checked when the dataset is built
    (:class:`CheckedSegDataset`); label values are checked per sample by ``CheckSegMapValues``,
    which :func:`mmseg_mman.datasets.recipe.human_parsing_recipe` puts in every pipeline.

    ``metainfo`` holds ``classes``, ``palette`` and ``flip_pairs`` (id pairs). The same pairs must
    reach the flip augmentation and the flipped test views, which are built from the config, not
    from the dataset: the config resolves them once with
    :func:`mmseg_mman.datasets.resolve_flip_pairs` and passes them to the recipe, the model's
    ``test_cfg.flip_pairs`` and this dataset, which refuses a pipeline whose ``RandomFlip`` swaps
    other pairs or whose ``CheckSegMapValues`` expects another class count.

    Args:
        classes: Class names in id order.
        palette: One ``[r, g, b]`` per class; None for a fixed-seed random one.
        flip_pairs: Left/right pairs as class names or ids; None derives them from the names
            (``Left-arm`` / ``Right-arm``, ``left_shoe`` / ``right_shoe``, ...); ``[]`` for none.
        img_suffix, seg_map_suffix, reduce_zero_label, **kwargs: as :class:`BaseSegDataset`
            (``data_root``, ``data_prefix``, ``ann_file``, ``pipeline``, ...).
    """

    def __init__(self,
                 classes: Sequence[str],
                 palette: Optional[Sequence[Sequence[int]]] = None,
                 flip_pairs: Optional[Sequence[Sequence[ClassRef]]] = None,
                 img_suffix: str = '.jpg',
                 seg_map_suffix: str = '.png',
                 reduce_zero_label: bool = False,
                 **kwargs) -> None:
        if 'metainfo' in kwargs:
            raise TypeError('ParsingFolderDataset takes classes= and palette=, not metainfo=')
        classes = _checked_classes(classes)
        pairs = resolve_flip_pairs(classes, flip_pairs, key='ParsingFolderDataset.flip_pairs')
        metainfo = dict(classes=classes, flip_pairs=pairs)
        if palette is not None:
            metainfo['palette'] = _checked_palette(palette, classes)
        _check_pipeline(kwargs.get('pipeline', []), len(classes), pairs)
        prefix = kwargs.get('data_prefix') or {}
        self.EXPECTED_TREE = (f"  {prefix.get('img_path', '')}/<name>{img_suffix}\n"
                              f"  {prefix.get('seg_map_path', '')}/<name>{seg_map_suffix}")
        super().__init__(
            img_suffix=img_suffix,
            seg_map_suffix=seg_map_suffix,
            reduce_zero_label=reduce_zero_label,
            metainfo=metainfo,
            **kwargs)


def _checked_classes(classes: Sequence[str]) -> tuple:
    if isinstance(classes, str) or not classes:
        raise ValueError(f'ParsingFolderDataset.classes: expected a list of class names, got {classes!r}')
    names = tuple(classes)
    for name in names:
        if not isinstance(name, str) or not name:
            raise ValueError(f'ParsingFolderDataset.classes: {name!r} is not a class name')
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f'ParsingFolderDataset.classes: {duplicates} appear more than once')
    return names


def _checked_palette(palette: Sequence[Sequence[int]], classes: tuple) -> List[List[int]]:
    if len(palette) != len(classes):
        raise ValueError(f'ParsingFolderDataset.palette: {len(palette)} colours for '
                         f'{len(classes)} classes')
    for name, colour in zip(classes, palette):
        if len(colour) != 3 or not all(isinstance(c, int) and 0 <= c <= 255 for c in colour):
            raise ValueError(f'ParsingFolderDataset.palette: the colour of {name!r} is {colour!r}, '
                             'expected [r, g, b] with values 0..255')
    return [list(colour) for colour in palette]


def _steps(pipeline: Sequence[Union[dict, object]]):
    """Every step of ``pipeline`` given as a config dict, those inside ``TestTimeAug`` included."""
    for step in pipeline:
        if not isinstance(step, dict):
            continue
        yield step
        if step.get('type') == 'TestTimeAug':
            for group in step.get('transforms', []):
                yield from _steps(group)


def _check_pipeline(pipeline: Sequence, num_classes: int, pairs: list) -> None:
    for step in _steps(pipeline):
        if step.get('type') == 'CheckSegMapValues' and step.get('num_classes') != num_classes:
            raise ValueError(f"the pipeline's CheckSegMapValues has num_classes="
                             f"{step.get('num_classes')} but ParsingFolderDataset.classes has "
                             f'{num_classes}: build the pipeline from the same classes')
    # A flip of labelled training data must swap exactly these pairs (flipped test views are
    # swapped back by the model instead, and unlabelled data has nothing to swap).
    loads_labels = any('Annotations' in str(step.get('type')) for step in _steps(pipeline))
    for step in pipeline:
        if loads_labels and isinstance(step, dict) and step.get('type') == 'RandomFlip':
            swapped = sorted(tuple(pair) for pair in step.get('swap_seg_labels') or [])
            if swapped != sorted(pairs):
                raise ValueError(f"the pipeline's RandomFlip swaps {swapped} but "
                                 f'ParsingFolderDataset.flip_pairs resolves to {pairs}: build the '
                                 'pipeline from the same flip pairs')
