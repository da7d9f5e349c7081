"""IoU after merging predicted labels into a coarser label set."""
from typing import Dict, Sequence

import numpy as np
import torch
from mmseg.evaluation import IoUMetric
from mmseg.registry import METRICS


@METRICS.register_module()
class LabelMergeIoUMetric(IoUMetric):
    """mIoU of a model evaluated on a dataset with a coarser label set.

    Used for MMAN's PPSS transfer experiment: a model trained on LIP
    (20 classes) is tested on PPSS (8 classes) without fine-tuning, after
    merging its predicted LIP ids into PPSS ids. Each data sample's
    ``pred_sem_seg.data`` (1, H, W) holds *source* ids; they are mapped with
    ``merge_groups`` (``merge_groups[t]`` lists the source ids merged into
    target class ``t``) and compared with ``gt_sem_seg`` (target ids, as in
    the dataset's ``classes``) by :class:`IoUMetric`.

    Results:

    - ``aAcc``, ``mIoU``, ``mAcc`` over all target classes (IoUMetric's keys;
      do not put a plain IoUMetric in the same evaluator list);
    - ``IoU.<class>`` for every target class;
    - ``mIoU_<n>cls``: the mean IoU over the classes not listed in
      ``partial_mean_exclude`` (n of them), e.g. ``mIoU_7cls`` for PPSS
      without Shoes, the paper's 7-column average (MMAN: 52.1).

    Means skip classes whose IoU is NaN (absent from prediction and ground
    truth), as IoUMetric does.

    Args:
        merge_groups (Sequence[Sequence[int]]): Source ids of each target
            class; every source id ``0 .. max`` must appear exactly once.
        partial_mean_exclude (Sequence[str]): Target class names left out of
            the ``mIoU_<n>cls`` average. Defaults to () (no such key).
        ignore_index, iou_metrics, nan_to_num, beta, collect_device, prefix:
            As in :class:`IoUMetric`.
    """

    def __init__(self,
                 merge_groups: Sequence[Sequence[int]],
                 partial_mean_exclude: Sequence[str] = (),
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.source_to_target = build_merge_lut(merge_groups)
        self.num_targets = len(merge_groups)
        self.partial_mean_exclude = tuple(partial_mean_exclude)

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        self._check_classes()
        for data_sample in data_samples:
            pred = data_sample['pred_sem_seg']['data'].squeeze(0)
            merged = self._merge(pred, data_sample.get('img_path', ''))
            label = data_sample['gt_sem_seg']['data'].squeeze(0).to(merged)
            self.results.append(self.intersect_and_union(merged, label, self.num_targets, self.ignore_index))

    def compute_metrics(self, results: list) -> Dict[str, float]:
        metrics = super().compute_metrics(results)
        # Per-class IoU the way IoUMetric computes its mean (nan_to_num included).
        totals = [sum(result[i] for result in results) for i in range(4)]
        iou = self.total_area_to_metrics(*totals, ['mIoU'], self.nan_to_num, self.beta)['IoU'] * 100
        classes = self.dataset_meta['classes']
        for name, value in zip(classes, iou):
            metrics[f'IoU.{name}'] = np.round(value, 2)
        if self.partial_mean_exclude:
            kept = [i for i, name in enumerate(classes) if name not in self.partial_mean_exclude]
            metrics[f'mIoU_{len(kept)}cls'] = np.round(np.nanmean(iou[kept]), 2)
        return metrics

    def _check_classes(self) -> None:
        classes = self.dataset_meta['classes']
        if len(classes) != self.num_targets:
            raise ValueError(f'merge_groups has {self.num_targets} target classes but the '
                             f'dataset has {len(classes)}: {classes}.')
        unknown = set(self.partial_mean_exclude) - set(classes)
        if unknown:
            raise ValueError(f'partial_mean_exclude names {sorted(unknown)} '
                             f'are not dataset classes {classes}.')

    def _merge(self, pred: torch.Tensor, img_path: str) -> torch.Tensor:
        lut = self.source_to_target.to(pred.device)
        if pred.numel() and (pred.min() < 0 or pred.max() >= len(lut)):
            raise ValueError(f'{img_path}: predicted label(s) outside the merged source '
                             f'ids 0..{len(lut) - 1}: '
                             f'{pred[(pred < 0) | (pred >= len(lut))].unique().tolist()}')
        return lut[pred.long()]


def build_merge_lut(merge_groups: Sequence[Sequence[int]]) -> torch.Tensor:
    """Lookup table source id -> target id from per-target source lists."""
    if not merge_groups:
        raise ValueError('merge_groups is empty.')
    target_of: Dict[int, int] = {}
    for target, sources in enumerate(merge_groups):
        for source in sources:
            if source in target_of:
                raise ValueError(f'source id {source} is merged into both target '
                                 f'{target_of[source]} and target {target}.')
            target_of[int(source)] = target
    num_sources = max(target_of, default=-1) + 1
    missing = sorted(set(range(num_sources)) - set(target_of))
    if missing or min(target_of, default=-1) < 0:
        raise ValueError(f'merge_groups must map every source id 0..'
                         f'{num_sources - 1} exactly once; missing '
                         f'{missing}, got {sorted(target_of)}.')
    return torch.tensor([target_of[s] for s in range(num_sources)], dtype=torch.long)
