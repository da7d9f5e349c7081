"""Isolated pixel rate (IPR), MMAN paper Table 4."""
from typing import Dict, List, Sequence, Tuple

import cv2
import numpy as np
import torch
import torch.nn.functional as F
from mmengine.evaluator import BaseMetric
from mmseg.registry import METRICS

# The 8 neighbour offsets (dy, dx).
_NEIGHBOURS = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if (dy, dx) != (0, 0)]


@METRICS.register_module()
class IPRMetric(BaseMetric):
    """Isolated pixel rate of the predicted label maps (lower is better).

    MMAN (Luo et al., ECCV 2018, Table 4) measures local
    inconsistency -- the spurious specks that the Micro discriminator is
    meant to remove -- as the rate of isolated pixels, without giving a
    formula. Definition used here: a predicted pixel is *isolated* when none
    of its in-image 8-neighbours has the same predicted label (a 1x1 map's
    single pixel is isolated); over the whole evaluation set

        IPR = 100 * (isolated pixels) / (all predicted pixels).

    The ground truth is not used. Paper values on LIP val: 5.62 (CE-only
    baseline) -> 2.47 (MMAN).

    That 8-neighbour rate is orders of magnitude below the paper's numbers on
    smooth predictions (0.01 % on the demo checkpoints), so a second,
    configurable definition is reported beside it: with
    ``small_component_sizes=[k, ...]``, ``IPR_lt<k>`` is the share (%) of
    predicted pixels that lie in 8-connected same-label components of fewer
    than ``k`` pixels ("holes" and specks of any shape up to that size).

    Reads ``pred_sem_seg.data`` (1, H, W) of each data sample, i.e. the
    prediction at the original image size. Result keys: ``IPR`` and one
    ``IPR_lt<k>`` per size.

    Args:
        small_component_sizes (Sequence[int]): Component sizes ``k`` (pixels)
            below which a component counts as isolated. Default: none.
        collect_device, prefix: As in :class:`BaseMetric`.
    """

    def __init__(self, small_component_sizes: Sequence[int] = (), **kwargs) -> None:
        super().__init__(**kwargs)
        if any(int(k) < 2 for k in small_component_sizes):
            raise ValueError(f'IPRMetric: small_component_sizes={list(small_component_sizes)} must be >= 2 '
                             '(a component of fewer than 2 pixels is a single pixel: use IPR)')
        self.small_component_sizes = tuple(int(k) for k in small_component_sizes)

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        for data_sample in data_samples:
            pred = data_sample['pred_sem_seg']['data'].squeeze(0)
            isolated, total = count_isolated_pixels(pred)
            small = [count_pixels_in_small_components(pred, k) for k in self.small_component_sizes]
            self.results.append((isolated, total, *small))

    def compute_metrics(self, results: List[Tuple[int, ...]]) -> Dict[str, float]:
        total = max(sum(result[1] for result in results), 1)
        metrics = dict(IPR=round(100.0 * sum(result[0] for result in results) / total, 2))
        for i, k in enumerate(self.small_component_sizes):
            metrics[f'IPR_lt{k}'] = round(100.0 * sum(result[2 + i] for result in results) / total, 2)
        return metrics


def count_isolated_pixels(label_map: torch.Tensor) -> Tuple[int, int]:
    """Return (isolated pixels, all pixels) of an (H, W) label map.

    Vectorised: the map is padded with -1 (never a label) and compared with
    its 8 shifted copies, so out-of-image neighbours never match.
    """
    if label_map.dim() != 2:
        raise ValueError('expected an (H, W) label map, got shape '
                         f'{tuple(label_map.shape)}')
    height, width = label_map.shape
    labels = label_map.long().cpu()
    padded = F.pad(labels[None, None], (1, 1, 1, 1), value=-1)[0, 0]
    has_same_neighbour = torch.zeros_like(labels, dtype=torch.bool)
    for dy, dx in _NEIGHBOURS:
        shifted = padded[1 + dy:1 + dy + height, 1 + dx:1 + dx + width]
        has_same_neighbour |= shifted == labels
    return int((~has_same_neighbour).sum()), height * width


def count_pixels_in_small_components(label_map: torch.Tensor, min_size: int) -> int:
    """Pixels of an (H, W) label map that lie in 8-connected components of one label with fewer than
    ``min_size`` pixels."""
    labels = label_map.cpu().numpy()
    small = 0
    for value in np.unique(labels):
        _, _, stats, _ = cv2.connectedComponentsWithStats((labels == value).astype(np.uint8), connectivity=8)
        areas = stats[1:, cv2.CC_STAT_AREA]  # row 0 is the background of the mask
        small += int(areas[areas < min_size].sum())
    return small
