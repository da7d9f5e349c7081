from typing import Optional

import torch
from mmseg.registry import MODELS
from torch import Tensor

from .base_pseudo_label_rule import BasePseudoLabelRule


@MODELS.register_module()
class ThresholdRule(BasePseudoLabelRule):
    """The saliency-free rule: a constant background score ``bg_score`` against the attention,
    Q(0) = bg_score, Q(c) = A_c for the tagged classes, label = argmax (IRN's CAM seeds use 0.15).

    Options: :class:`BasePseudoLabelRule`'s (``conflict_thr``, ``min_fg_ratio``).

    Shapes: as :class:`BasePseudoLabelRule`; saliency is not read.
    """

    def __init__(self, bg_score: float = 0.15, **kwargs) -> None:
        super().__init__(**kwargs)
        if not 0.0 <= bg_score <= 1.0:
            raise ValueError(f'ThresholdRule: bg_score={bg_score} must be in [0, 1]')
        self.bg_score = bg_score

    def scores(self, attention: Tensor, saliency: Optional[Tensor]) -> Tensor:
        return torch.cat([torch.full_like(attention[:1], self.bg_score), attention])
