from typing import Optional, Sequence, Tuple

import torch
from torch import Tensor


class BasePseudoLabelRule:
    """How fused attention (and saliency) become a pseudo label: per-class scores, the argmax over the
    background and the image's tags, then the optional ignore rules of the authors (set to 255).

    A subclass gives :meth:`scores` (and says whether it ``needs_saliency``); this class restricts the
    argmax to {0} + tags (a class outside the tags is never chosen; ties go to the background) and
    applies the ignore rules that need no saliency:

    - ``conflict_thr``: pixels where two or more tagged classes have attention >= it -> 255;
    - ``min_fg_ratio``: an image whose pseudo label has less than this share of foreground -> all 255
      (OAA-PyTorch ``gen_gt.py``: 0.01).

    An image without tags is all background. Every option off (None) is the paper's Algorithm 1.

    Shapes:
        in: attention (K, H, W) in [0, 1] (K = num_classes - 1), tags (foreground class ids 1..K),
        saliency (H, W) in [0, 1] or None.
        out: label (H, W) int64 in {0, tags, ignore_index}, scores (K + 1, H, W) (background first, 0 for
        untagged classes).
    """

    #: Whether :meth:`scores` reads a saliency map.
    needs_saliency = False

    def __init__(self,
                 conflict_thr: Optional[float] = None,
                 min_fg_ratio: Optional[float] = None,
                 ignore_index: int = 255) -> None:
        for name, value in (('conflict_thr', conflict_thr), ('min_fg_ratio', min_fg_ratio)):
            if value is not None and not 0.0 <= value <= 1.0:
                raise ValueError(f'{type(self).__name__}: {name}={value} must be in [0, 1] or None')
        self.conflict_thr = conflict_thr
        self.min_fg_ratio = min_fg_ratio
        self.ignore_index = ignore_index

    def scores(self, attention: Tensor, saliency: Optional[Tensor]) -> Tensor:
        """(K + 1, H, W) score of the background and of every class."""
        raise NotImplementedError

    def __call__(self,
                 attention: Tensor,
                 tags: Sequence[int],
                 saliency: Optional[Tensor] = None,
                 source: Optional[str] = None) -> Tuple[Tensor, Tensor]:
        """The pseudo label and the scores of one image (``source`` names it in errors)."""
        where = source or '<image>'
        if self.needs_saliency and saliency is None:
            raise ValueError(f'{where}: {type(self).__name__} needs a saliency map, got none')
        if saliency is not None and tuple(saliency.shape) != tuple(attention.shape[1:]):
            raise ValueError(
                f'{where}: saliency of shape {tuple(saliency.shape)} does not match the attention '
                f'{tuple(attention.shape[1:])}')
        num_tags = attention.shape[0]
        bad = [int(c) for c in tags if not 1 <= int(c) <= num_tags]
        if bad:
            raise ValueError(f'{where}: tag(s) {bad} are not foreground class ids 1..{num_tags}')
        allowed = torch.zeros(num_tags + 1, dtype=torch.bool, device=attention.device)
        allowed[0] = True
        allowed[[int(c) for c in tags]] = True
        scores = self.scores(attention, saliency).masked_fill(~allowed[:, None, None], 0.0)
        label = scores.masked_fill(~allowed[:, None, None], float('-inf')).argmax(dim=0)
        return self.apply_ignore_rules(label, attention * allowed[1:, None, None], saliency), scores

    def apply_ignore_rules(self, label: Tensor, attention: Tensor, saliency: Optional[Tensor]) -> Tensor:
        """The options above; ``attention`` is 0 for untagged classes."""
        label = label.clone()
        foreground_share = (label > 0).float().mean().item()
        if self.conflict_thr is not None:
            label[(attention >= self.conflict_thr).sum(dim=0) >= 2] = self.ignore_index
        if self.min_fg_ratio is not None and foreground_share < self.min_fg_ratio:
            label[:] = self.ignore_index
        return label
