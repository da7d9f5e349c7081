"""What the tag transforms share: image-level tags are foreground class ids 1..num_classes - 1 of the
segmentation classes (the background 0 is never a tag), kept as ``results['tags']`` (a sorted tuple)."""
import os.path as osp
from typing import Iterable, Tuple

BACKGROUND = 0


def image_stem(results: dict) -> str:
    """File name of the sample's image without folder and extension (the key of tag and saliency files)."""
    if not results.get('img_path'):
        raise KeyError('tag/saliency transforms need `img_path`: put them after LoadImageFromFile')
    return osp.splitext(osp.basename(results['img_path']))[0]


def foreground_tags(ids: Iterable[int], num_classes: int, source: str) -> Tuple[int, ...]:
    """Sorted distinct ids without the background 0; an id outside 0..num_classes - 1 is an error naming
    ``source``."""
    ids = [int(i) for i in ids]
    bad = sorted({i for i in ids if not 0 <= i < num_classes})
    if bad:
        raise ValueError(f'{source}: tag id(s) {bad} are outside the vocabulary 0..{num_classes - 1} '
                         '(0 = background)')
    return tuple(sorted(set(ids) - {BACKGROUND}))
