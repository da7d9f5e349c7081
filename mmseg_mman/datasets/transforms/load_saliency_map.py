import os.path as osp

import cv2
import mmcv
import numpy as np
from mmcv.transforms import BaseTransform
from mmseg.registry import TRANSFORMS

from .tags import image_stem


@TRANSFORMS.register_module()
class LoadSaliencyMap(BaseTransform):
    """A class-agnostic saliency map ``saliency_dir/<stem><suffix>`` (grey levels, 0 = background, the
    type's maximum = salient), as ``gt_saliency`` in [0, 1] at the image's original size.

    Placed like ``LoadAnnotations`` in test pipelines (after ``Resize``): the map stays at the original
    size, where :class:`SeeNet` makes its pseudo labels. A map of another size is resized to the image's
    (bilinear), not rejected; a missing or unreadable map is an error naming the file and the image.

    Required Keys: img_path, ori_shape. Added Keys: gt_saliency (float32, H_ori x W_ori).

    Args:
        saliency_dir (str): Folder of the maps.
        suffix (str): File suffix of the maps.
    """

    def __init__(self, saliency_dir: str, suffix: str = '.png') -> None:
        self.saliency_dir = saliency_dir
        self.suffix = suffix

    def transform(self, results: dict) -> dict:
        path = osp.join(self.saliency_dir, image_stem(results) + self.suffix)
        if not osp.isfile(path):
            raise FileNotFoundError(f'{results["img_path"]}: no saliency map {path}')
        saliency = mmcv.imread(path, flag='unchanged')
        if saliency is None or saliency.ndim != 2 or saliency.dtype.kind != 'u':
            found = 'unreadable' if saliency is None else f'{saliency.dtype} {saliency.shape}'
            raise ValueError(f'{path}: a saliency map must be a single-channel unsigned-integer image, '
                             f'got {found}')
        saliency = saliency.astype(np.float32) / np.iinfo(saliency.dtype).max
        height, width = results['ori_shape'][:2]
        if saliency.shape != (height, width):
            saliency = cv2.resize(saliency, (width, height), interpolation=cv2.INTER_LINEAR)
        results['gt_saliency'] = saliency
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(saliency_dir={self.saliency_dir!r}, suffix={self.suffix!r})'
