"""Fail early on label values that are neither class ids nor ignored."""
import numpy as np
from mmcv.transforms import BaseTransform
from mmseg.registry import TRANSFORMS


@TRANSFORMS.register_module()
class CheckSegMapValues(BaseTransform):
    """Raise a clear error when a ground-truth map holds an invalid label.

    Without this check a stray value (a colour-coded PNG, a label set from
    another packaging of the same dataset, ...) either crashes the loss deep
    inside CUDA/torch with no file name, or is silently counted as a wrong
    class. Place it right after the annotation loader (``LoadAnnotations``,
    ``LoadPPSSAnnotations``), i.e. after the dataset's ``label_map`` and
    ``reduce_zero_label`` have been applied. The cost is one histogram of the
    map (a ``np.bincount`` for uint8 maps), so it is on in every base config.

    Required Keys:

    - gt_seg_map (np.ndarray): (H, W) label map.
    - seg_map_path (str, optional): named in the error message.

    Args:
        num_classes (int): Valid labels are ``0 .. num_classes - 1``.
        ignore_index (int): The one other valid value. Defaults to 255.
    """

    def __init__(self, num_classes: int, ignore_index: int = 255) -> None:
        if num_classes < 1:
            raise ValueError(f'num_classes must be >= 1, got {num_classes}')
        self.num_classes = num_classes
        self.ignore_index = ignore_index

    def transform(self, results: dict) -> dict:
        if 'gt_seg_map' not in results:
            if 'seg_map_path' not in results:
                return results  # inference on an image without annotation
            raise KeyError('CheckSegMapValues found no `gt_seg_map`: put it '
                           'after the annotation loader (LoadAnnotations) in '
                           'the pipeline.')
        invalid = self.invalid_values(results['gt_seg_map'])
        if invalid:
            source = results.get('seg_map_path', '<unknown file>')
            raise ValueError(f'{source}: label value(s) {invalid} are neither a '
                             f'class id (0..{self.num_classes - 1}) nor the ignore index '
                             f'{self.ignore_index}.')
        return results

    def invalid_values(self, seg_map: np.ndarray) -> list:
        """The distinct values of ``seg_map`` that are neither a class id nor the ignore index,
        sorted."""
        values = _present_values(seg_map)
        return values[((values < 0) | (values >= self.num_classes)) & (values != self.ignore_index)].tolist()

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(num_classes={self.num_classes}, '
                f'ignore_index={self.ignore_index})')


def _present_values(seg_map: np.ndarray) -> np.ndarray:
    """Sorted distinct values of ``seg_map``; a bincount for uint8 maps."""
    if seg_map.dtype == np.uint8:
        return np.flatnonzero(np.bincount(seg_map.ravel(), minlength=256))
    return np.unique(seg_map)
