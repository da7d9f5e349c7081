from .ipr_metric import IPRMetric, count_isolated_pixels, count_pixels_in_small_components
from .label_merge_iou_metric import LabelMergeIoUMetric, build_merge_lut
from .low_res_iou_metric import LowResIoUMetric
from .pseudo_label_metric import PseudoLabelMetric
from .subset_iou_metric import SubsetIoUMetric

__all__ = [
    'IPRMetric', 'LabelMergeIoUMetric', 'LowResIoUMetric', 'PseudoLabelMetric', 'SubsetIoUMetric',
    'build_merge_lut', 'count_isolated_pixels', 'count_pixels_in_small_components'
]
