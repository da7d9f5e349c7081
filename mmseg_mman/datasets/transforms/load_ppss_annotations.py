"""Load a PPSS mask: grey levels -> class ids, resized to its image."""
from typing import Dict, Optional

import mmcv
import mmengine.fileio as fileio
import numpy as np
from mmseg.datasets.transforms import LoadAnnotations
from mmseg.registry import TRANSFORMS

from ..ppss import PPSS_GREY_LEVELS


@TRANSFORMS.register_module()
class LoadPPSSAnnotations(LoadAnnotations):
    """Load an original PPSS ``<frame>_m.png`` mask as class ids.

    PPSS masks store grey levels, not class ids. They are decoded with
    :data:`mmseg_mman.datasets.ppss.PPSS_GREY_LEVELS`
    (``{0: 0, 9: 1, 19: 2, 29: 3, 50: 4, 39: 5, 60: 6, 62: 7}``); any other
    grey level raises a ``ValueError`` naming the file and the values. The
    dataset's ``label_map`` (custom class subsets) is applied afterwards.

    Some PPSS masks are not the size of their image. Such a mask is resized
    to the image size (``ori_shape``, i.e. the size of the image as loaded,
    before any Resize) with nearest-neighbour interpolation, so that no new
    label value is invented. The image must therefore be loaded first
    (``LoadImageFromFile``); in a test pipeline this loader may come after
    ``Resize`` like ``LoadAnnotations``, and the ground truth then stays at
    the original image size.

    A mask saved with three identical channels is accepted; three different
    channels (a colour mask) are an error.

    Required Keys:

    - seg_map_path (str)
    - ori_shape (tuple): (H, W) of the original image.
    - label_map (dict, optional), reduce_zero_label (bool, optional)

    Added Keys:

    - gt_seg_map (np.uint8): (H, W) class ids at the original image size.
    - seg_fields (list)

    Args:
        Same as :class:`mmseg.datasets.transforms.LoadAnnotations`.
        ``reduce_zero_label`` must stay off: background is a PPSS class.
    """

    def _load_seg_map(self, results: dict) -> None:
        path = results['seg_map_path']
        if results.get('reduce_zero_label') or self.reduce_zero_label:
            raise ValueError('LoadPPSSAnnotations does not support '
                             'reduce_zero_label: background is a PPSS class.')
        if 'ori_shape' not in results:
            raise KeyError('LoadPPSSAnnotations needs the image size: put '
                           'LoadImageFromFile before it in the pipeline.')
        mask = mmcv.imfrombytes(
            fileio.get(path, backend_args=self.backend_args), flag='unchanged', backend=self.imdecode_backend)
        if mask is None:
            raise OSError(f'cannot decode the PPSS mask {path}')
        grey = _single_channel(mask, path)
        seg_map = _grey_level_lut(results.get('label_map'))[grey]
        if (seg_map < 0).any():
            bad = np.unique(grey[seg_map < 0])
            raise ValueError(f'{path}: grey level(s) {bad.tolist()} are not PPSS classes; '
                             f'expected grey levels {sorted(PPSS_GREY_LEVELS)} '
                             f'(grey level -> class id: {PPSS_GREY_LEVELS}).')
        results['gt_seg_map'] = _fit_to_image(seg_map.astype(np.uint8), results['ori_shape'][:2])
        results['seg_fields'].append('gt_seg_map')


def _grey_level_lut(label_map: Optional[Dict[int, int]]) -> np.ndarray:
    """256-entry lookup table grey level -> class id, -1 for non-classes."""
    lut = np.full(256, -1, dtype=np.int16)
    for grey, class_id in PPSS_GREY_LEVELS.items():
        lut[grey] = (label_map or {}).get(class_id, class_id)
    return lut


def _single_channel(mask: np.ndarray, path: str) -> np.ndarray:
    """(H, W) uint8 grey levels from a grey or grey-as-RGB(A) mask."""
    if mask.ndim == 3:
        colour = mask[..., :3]
        if not (colour == colour[..., :1]).all():
            raise ValueError(f'{path}: expected a grey-level PPSS mask, got '
                             'a colour image.')
        mask = colour[..., 0]
    if mask.dtype != np.uint8:
        raise ValueError(f'{path}: expected an 8-bit PPSS mask, got '
                         f'{mask.dtype}.')
    return mask


def _fit_to_image(seg_map: np.ndarray, image_hw: tuple) -> np.ndarray:
    """Nearest-neighbour resize of ``seg_map`` to ``image_hw`` if needed."""
    if seg_map.shape == tuple(image_hw):
        return seg_map
    height, width = image_hw
    return mmcv.imresize(seg_map, (width, height), interpolation='nearest', backend='cv2')
