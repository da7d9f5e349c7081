import os.path as osp

import numpy as np
from mmseg.registry import TRANSFORMS

from .load_ccp_tags import LoadCCPTags


@TRANSFORMS.register_module()
class LoadCCPPixelTags(LoadCCPTags):
    """Image-level tags of a pixel-labelled Clothing Co-Parsing photo: the labels present in its
    ``tag_dir/<stem>.mat`` ``groundtruth`` map (``annotations/pixel-level``, indices of
    ``label_list.txt``), in either vocabulary of :class:`LoadCCPTags`.

    The converted CCP (``tools/dataset_converters/ccp.py``) keeps only the 8 coarse classes; this gives
    the val photos the fine tags a classifier trained in the fine vocabulary needs at inference, while
    their converted masks score its (folded) pseudo labels. The ``.mat`` is read for its tags only: no
    label map enters the sample.

    Errors as :class:`LoadCCPTags`: a missing or unreadable ``.mat``, one without ``groundtruth``, or a
    label outside label_list names the file and the value.

    Added Keys:

    - tags (tuple[int]): sorted foreground class ids of the vocabulary.

    Args:
        tag_dir (str): ``annotations/pixel-level`` of the CCP release.
        label_list (str): ``label_list.txt`` of the release.
        vocabulary (str): ``'coarse'`` or ``'fine'``.
    """

    def read_label_indices(self, path: str) -> np.ndarray:
        # The converters' reader (it names the file in its errors); optional at import time.
        from ..converters.ccp import read_groundtruth
        if not osp.isfile(path):
            raise FileNotFoundError(f'no pixel-level annotation {path}')
        return np.unique(read_groundtruth(path)).astype(np.int64)
