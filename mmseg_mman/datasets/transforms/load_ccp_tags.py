import os.path as osp
from typing import Tuple

import numpy as np
from mmcv.transforms import BaseTransform
from mmseg.registry import TRANSFORMS

from ..ccp import CCP_COARSE_CLASSES, CCP_LABEL_TO_COARSE
from .tags import foreground_tags, image_stem

VOCABULARIES = ('coarse', 'fine')


@TRANSFORMS.register_module()
class LoadCCPTags(BaseTransform):
    """Image-level tags of Clothing Co-Parsing: ``tag_dir/<stem>.mat`` with ``tags``, indices of
    ``label_list.txt`` (photos 1005-2098 have these and no pixel labels).

    Vocabularies:

    - ``'coarse'`` (default): each label mapped to :class:`CCPDataset`'s 8 classes
      (``CCP_LABEL_TO_COARSE``), so the pseudo labels are in the classes the CCP parsing configs train
      on; tags 1..7.
    - ``'fine'``: the 59 labels themselves (``null`` = 0 is the background), tags 1..58.

    ``null`` (and any label mapped to Background) is not a tag. A missing or unreadable ``.mat``, one
    without ``tags``, or an index outside label_list is an error naming the file and the value.

    Added Keys:

    - tags (tuple[int]): sorted foreground class ids of the vocabulary.

    Args:
        tag_dir (str): ``annotations/image-level`` of the CCP release.
        label_list (str): ``label_list.txt`` of the release (``index<TAB>name``).
        vocabulary (str): ``'coarse'`` or ``'fine'``.
    """

    def __init__(self, tag_dir: str, label_list: str, vocabulary: str = 'coarse') -> None:
        self.tag_dir = tag_dir
        self.label_list = label_list
        self.vocabulary = vocabulary
        self.lut, self.num_classes = ccp_label_lut(label_list, vocabulary)

    def transform(self, results: dict) -> dict:
        path = osp.join(self.tag_dir, image_stem(results) + '.mat')
        indices = self.read_label_indices(path)
        bad = sorted({int(i) for i in indices if not 0 <= i < len(self.lut) or self.lut[i] < 0})
        if bad:
            raise ValueError(f'{path}: tag(s) {bad} are not indices of {self.label_list}')
        results['tags'] = foreground_tags(self.lut[indices], self.num_classes, path)
        return results

    def read_label_indices(self, path: str) -> np.ndarray:
        """The label_list indices tagged in one ``.mat``."""
        return read_ccp_tags(path)

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(tag_dir={self.tag_dir!r}, vocabulary={self.vocabulary!r})'


def ccp_label_lut(label_list: str, vocabulary: str) -> Tuple[np.ndarray, int]:
    """``(lut, num_classes)`` of a vocabulary: ``lut[index]`` is the class of label_list's ``index``
    (itself for ``'fine'``, its ``CCP_LABEL_TO_COARSE`` class for ``'coarse'``; -1 where label_list has no
    such index), ``num_classes`` counts the background."""
    if vocabulary not in VOCABULARIES:
        raise ValueError(f'CCP tags: vocabulary={vocabulary!r} is not one of {VOCABULARIES}')
    # The converters' reader; imported here because the converters package is optional at import time.
    from ..converters.ccp import read_label_list
    names = read_label_list(label_list)
    lut = np.full(max(names) + 1, -1, dtype=np.int64)
    for index, name in names.items():
        if vocabulary == 'fine':
            lut[index] = index
        elif name in CCP_LABEL_TO_COARSE:
            lut[index] = CCP_LABEL_TO_COARSE[name]
        else:
            raise ValueError(f'{label_list}: label {name!r} has no coarse class in CCP_LABEL_TO_COARSE')
    return lut, len(names) if vocabulary == 'fine' else len(CCP_COARSE_CLASSES)


def read_ccp_tags(path: str) -> np.ndarray:
    """The ``tags`` vector of one CCP image-level ``.mat`` (int64)."""
    import scipy.io  # only CCP tags need scipy
    if not osp.isfile(path):
        raise FileNotFoundError(f'no image-level tags {path}')
    try:
        mat = scipy.io.loadmat(path)
    except Exception as error:  # scipy raises several types for bad files
        raise ValueError(f'cannot read {path}: {error}') from error
    if 'tags' not in mat:
        raise KeyError(
            f'{path} has no variable `tags` (has {sorted(k for k in mat if not k.startswith("_"))})')
    return np.asarray(mat['tags']).astype(np.int64).ravel()
