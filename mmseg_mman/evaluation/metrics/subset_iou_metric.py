"""IoU with extra means over named subsets of the classes."""
from typing import Dict, List, Optional, Sequence

import numpy as np
from mmseg.evaluation import IoUMetric
from mmseg.registry import METRICS


@METRICS.register_module()
class SubsetIoUMetric(IoUMetric):
    """:class:`IoUMetric` that also averages the IoU over named subsets of the dataset's classes.

    SYNTHIA -> Cityscapes adaptation trains and tests a 19-class Cityscapes model, but SYNTHIA labels
    only 16 of the classes, and AdaptSegNet reports 13 of those: the results are the mean IoU over
    those classes (``mIoU16``, ``mIoU13``), which IoUMetric cannot restrict. The IoU of each class
    comes from the intersections and unions summed over the whole evaluation set, as in IoUMetric.

    Results: IoUMetric's (``aAcc``, ``mIoU`` over all classes, ...) plus one key per subset, e.g.
    ``mIoU16``. Means skip classes whose IoU is NaN (absent from prediction and ground truth).

    Args:
        class_subsets (dict): ``{result key: class names}``, e.g.
            ``dict(mIoU16=SYNTHIA_16_CLASSES, mIoU13=SYNTHIA_13_CLASSES)``; names are the dataset's
            ``classes``.
        ignore_index, iou_metrics, nan_to_num, beta, collect_device, prefix: As in :class:`IoUMetric`.
    """

    def __init__(self,
                 class_subsets: Dict[str, Sequence[str]],
                 ignore_index: int = 255,
                 iou_metrics: List[str] = ['mIoU'],
                 nan_to_num: Optional[int] = None,
                 beta: int = 1,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(
            ignore_index=ignore_index,
            iou_metrics=iou_metrics,
            nan_to_num=nan_to_num,
            beta=beta,
            collect_device=collect_device,
            prefix=prefix)
        if not class_subsets:
            raise ValueError('SubsetIoUMetric: class_subsets is empty; name at least one subset')
        reserved = {'aAcc', 'mIoU', 'mAcc', 'mDice', 'mFscore', 'mPrecision', 'mRecall'}
        for key, names in class_subsets.items():
            if key in reserved:
                raise ValueError(f'SubsetIoUMetric: subset key {key!r} would overwrite an IoUMetric result')
            if not names:
                raise ValueError(f'SubsetIoUMetric: class_subsets[{key!r}] names no class')
        self.class_subsets = {key: tuple(names) for key, names in class_subsets.items()}

    def compute_metrics(self, results: list) -> Dict[str, float]:
        classes = list(self.dataset_meta['classes'])
        for key, names in self.class_subsets.items():
            unknown = [name for name in names if name not in classes]
            if unknown:
                raise ValueError(f'SubsetIoUMetric: class_subsets[{key!r}] names {unknown}, which are not '
                                 f'classes of the dataset {classes}')
        metrics = super().compute_metrics(results)
        intersect = sum(result[0] for result in results)
        union = sum(result[1] for result in results)
        iou = (intersect / union).numpy() * 100
        for key, names in self.class_subsets.items():
            metrics[key] = np.round(np.nanmean(iou[[classes.index(name) for name in names]]), 2)
        return metrics
