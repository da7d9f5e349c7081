"""Isolated pixel rate (IPR), MMAN paper Table 4."""
from typing import Dict, List, Sequence, Tuple

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

    Reads ``pred_sem_seg.data`` (1, H, W) of each data sample, i.e. the
    prediction at the original image size. Result key: ``IPR``.
    """

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        for data_sample in data_samples:
            pred = data_sample['pred_sem_seg']['data'].squeeze(0)
            self.results.append(count_isolated_pixels(pred))

    def compute_metrics(self, results: List[Tuple[int, int]]) -> Dict[str, float]:
        isolated = sum(result[0] for result in results)
        total = sum(result[1] for result in results)
        return dict(IPR=round(100.0 * isolated / max(total, 1), 2))


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
