"""Quality of pseudo labels and of the attention they come from (weak supervision, SeeNet)."""
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch
from mmseg.evaluation import IoUMetric
from mmseg.registry import METRICS
from torch import Tensor


@METRICS.register_module()
class PseudoLabelMetric(IoUMetric):
    """Pseudo-label mIoU under both conventions for a predicted 255, plus what ignoring and attention do.

    Results (percentages):

    - ``mIoU``, ``aAcc`` (and IoUMetric's per-class table): a predicted 255 is a miss of the ground-truth
      class (mmseg's IoUMetric convention);
    - ``mIoU_bg``: a predicted 255 counts as background 0 (IRN's convention);
    - ``ignored``: share of the labelled ground-truth pixels predicted 255;
    - ``precision``: share of correct pixels among those with a pseudo label (not 255) and a ground truth;
    - ``coverage@tau``: share of the pixels of each tagged class whose attention for that class is >= tau
      (summed over classes and images), for each ``tau`` of ``taus``;
    - ``leak@tau``: share of the pixels attended (attention >= tau) for a tagged class whose ground truth is
      another class or the background: 100 - the attention's precision.

    The attention is each result's ``pred_attention`` ((num_classes - 1, H, W), class c at channel c - 1,
    as :class:`SeeNet` gives), scored for the result's ``attention_tags`` (SeeNet's tags after any
    :class:`TagFolding`; ``tags`` if absent); without it the coverage and leak keys are absent. With
    ``output_dir`` (``tools/test.py --out``) the pseudo labels are written as uint8 PNGs, 255 kept, as
    IoUMetric does; ``format_only`` writes them without scoring (photos with tags only).

    Args:
        taus (Sequence[float]): Attention thresholds of coverage and leak.
        Others: as :class:`IoUMetric`.
    """

    def __init__(self,
                 taus: Sequence[float] = (0.3, ),
                 ignore_index: int = 255,
                 iou_metrics: List[str] = ['mIoU'],
                 nan_to_num: Optional[int] = None,
                 beta: int = 1,
                 collect_device: str = 'cpu',
                 output_dir: Optional[str] = None,
                 format_only: bool = False,
                 prefix: Optional[str] = None,
                 **kwargs) -> None:
        super().__init__(
            ignore_index=ignore_index,
            iou_metrics=iou_metrics,
            nan_to_num=nan_to_num,
            beta=beta,
            collect_device=collect_device,
            output_dir=output_dir,
            format_only=format_only,
            prefix=prefix,
            **kwargs)
        bad = [tau for tau in taus if not 0.0 <= tau <= 1.0]
        if bad:
            raise ValueError(f'PseudoLabelMetric: taus {bad} must be in [0, 1]')
        self.taus = tuple(taus)

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        start = len(self.results)
        super().process(data_batch, data_samples)  # miss convention, and the PNGs
        if self.format_only:
            return
        # One result per sample: the evaluator keeps only as many results as the dataset has samples.
        iou_results = self.results[start:]
        del self.results[start:]
        num_classes = len(self.dataset_meta['classes'])
        for sample, iou in zip(data_samples, iou_results):
            pred = sample['pred_sem_seg']['data'].squeeze(0)
            label = sample['gt_sem_seg']['data'].squeeze(0).to(pred)
            stats = self.pixel_counts(pred, label, num_classes)
            if 'pred_attention' in sample:
                tags = sample.get('attention_tags', sample['tags'])
                stats.update(self.attention_counts(sample['pred_attention']['data'], label, tags))
            self.results.append(dict(stats, miss_convention=iou))

    def pixel_counts(self, pred: Tensor, label: Tensor, num_classes: int) -> Dict[str, object]:
        valid = label != self.ignore_index
        labelled = valid & (pred != self.ignore_index)
        as_background = torch.where(pred == self.ignore_index, torch.zeros_like(pred), pred)
        return dict(
            background_convention=self.intersect_and_union(as_background, label, num_classes,
                                                           self.ignore_index),
            ignored=int((valid & ~labelled).sum()),
            valid=int(valid.sum()),
            correct=int((labelled & (pred == label)).sum()),
            labelled=int(labelled.sum()))

    def attention_counts(self, attention: Tensor, label: Tensor, tags: Sequence[int]) -> Dict[str, object]:
        valid = label != self.ignore_index
        counts = {}
        for tau in self.taus:
            covered = objects = leaked = attended = 0
            for cls in tags:
                on = (attention[int(cls) - 1] >= tau) & valid
                inside = label == int(cls)
                covered += int((on & inside).sum())
                objects += int(inside.sum())
                leaked += int((on & ~inside).sum())
                attended += int(on.sum())
            counts[tau] = (covered, objects, leaked, attended)
        return dict(attention=counts)

    def compute_metrics(self, results: list) -> Dict[str, float]:
        if self.format_only:
            return super().compute_metrics(results)
        stats = results
        metrics = super().compute_metrics([s['miss_convention'] for s in stats])
        areas = [sum(s['background_convention'][i] for s in stats) for i in range(4)]
        iou = self.total_area_to_metrics(*areas, ['mIoU'], self.nan_to_num, self.beta)['IoU']
        metrics['mIoU_bg'] = _percent(np.nanmean(iou.numpy() if isinstance(iou, Tensor) else iou), 1)
        metrics['ignored'] = _percent(*_sums(stats, 'ignored', 'valid'))
        metrics['precision'] = _percent(*_sums(stats, 'correct', 'labelled'))
        with_attention = [s['attention'] for s in stats if 'attention' in s]
        for tau in self.taus if with_attention else ():
            covered, objects, leaked, attended = (sum(a[tau][i] for a in with_attention) for i in range(4))
            metrics[f'coverage@{tau}'] = _percent(covered, objects)
            metrics[f'leak@{tau}'] = _percent(leaked, attended)
        return metrics


def _sums(stats: List[dict], numerator: str, denominator: str) -> tuple:
    return sum(s[numerator] for s in stats), sum(s[denominator] for s in stats)


def _percent(numerator: float, denominator: Optional[float]) -> float:
    """100 * numerator / denominator, rounded to 2 decimals; NaN for an empty denominator."""
    return float(np.round(100.0 * numerator / denominator, 2)) if denominator else float('nan')
