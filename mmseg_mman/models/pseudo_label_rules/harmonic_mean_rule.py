from typing import Optional

import torch
from mmseg.registry import MODELS
from torch import Tensor

from .base_pseudo_label_rule import BasePseudoLabelRule


@MODELS.register_module()
class HarmonicMeanRule(BasePseudoLabelRule):
    """SeeNet's pseudo-label rule (Hou et al. NeurIPS 2018, Algorithm 1) with saliency D and attention A_c:
    Q(0) = 1 - D, Q(c) = 2 D A_c / (D + A_c) for the tagged classes, label = argmax. The background wins
    where saliency is low.

    Besides :class:`BasePseudoLabelRule`'s options, the saliency ignore rules of the authors (issue #5,
    OAA-PyTorch ``gen_gt.py``):

    - ``fg_min_saliency``: pixels labelled foreground whose saliency is below it -> 255;
    - ``bg_max_saliency``: pixels labelled background whose saliency is >= it -> 255 (``gen_gt.py``:
      32 / 255).

    Shapes: as :class:`BasePseudoLabelRule`; saliency (H, W) is required.
    """

    needs_saliency = True

    def __init__(self,
                 fg_min_saliency: Optional[float] = None,
                 bg_max_saliency: Optional[float] = None,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        for name, value in (('fg_min_saliency', fg_min_saliency), ('bg_max_saliency', bg_max_saliency)):
            if value is not None and not 0.0 <= value <= 1.0:
                raise ValueError(f'HarmonicMeanRule: {name}={value} must be in [0, 1] or None')
        self.fg_min_saliency = fg_min_saliency
        self.bg_max_saliency = bg_max_saliency

    def scores(self, attention: Tensor, saliency: Optional[Tensor]) -> Tensor:
        denominator = saliency[None] + attention
        harmonic = torch.where(denominator > 0, 2 * saliency[None] * attention / denominator.clamp(min=1e-12),
                               torch.zeros_like(attention))
        return torch.cat([(1 - saliency)[None], harmonic])

    def apply_ignore_rules(self, label: Tensor, attention: Tensor, saliency: Optional[Tensor]) -> Tensor:
        ignored = super().apply_ignore_rules(label, attention, saliency)
        if self.fg_min_saliency is not None:
            ignored[(label > 0) & (saliency < self.fg_min_saliency)] = self.ignore_index
        if self.bg_max_saliency is not None:
            ignored[(label == 0) & (saliency >= self.bg_max_saliency)] = self.ignore_index
        return ignored
