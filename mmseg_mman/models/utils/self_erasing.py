"""The tensor operations of SeeNet's self-erasing (Hou et al. NeurIPS 2018, §3.2): the ternary mask, the
conditionally reversed ReLU (C-ReLU), multi-hot tags and the normalisation of attention maps."""
from typing import Sequence

import torch
from torch import Tensor

# Below this range a class map is flat: it is normalised to 0, not divided by ~0.
FLAT_RANGE = 1e-12


def tags_to_multi_hot(tags: Sequence[Sequence[int]], num_tags: int, device=None) -> Tensor:
    """(N, num_tags) float multi-hot targets from per-sample lists of *segmentation class ids*
    (1..num_tags; the background 0 is no tag): class id c sets column c - 1."""
    target = torch.zeros(len(tags), num_tags, device=device)
    for i, sample_tags in enumerate(tags):
        ids = [int(c) for c in sample_tags]
        bad = [c for c in ids if not 1 <= c <= num_tags]
        if bad:
            raise ValueError(f'tag(s) {bad} of sample {i} are not foreground class ids 1..{num_tags}')
        target[i, [c - 1 for c in ids]] = 1.0
    return target


def minmax_normalize(maps: Tensor) -> Tensor:
    """Per sample and channel: negatives clamped to 0, then min-max scaled to [0, 1]; a flat map is 0.

    Shapes: (N, K, h, w) -> (N, K, h, w)."""
    maps = maps.clamp(min=0)
    low = maps.amin(dim=(2, 3), keepdim=True)
    span = maps.amax(dim=(2, 3), keepdim=True) - low
    return torch.where(span > FLAT_RANGE, (maps - low) / span.clamp(min=FLAT_RANGE), torch.zeros_like(maps))


@torch.no_grad()
def ternary_mask(score_maps: Tensor, tags: Tensor, delta_h: float, delta_l: float) -> Tensor:
    """SeeNet's ternary mask T_A, per sample and without gradient.

    Each tagged class's map is clamped at 0 and min-max normalised; untagged classes count 0; m is the
    maximum over classes. T_A = 0 where m >= delta_h (attended: erased), -1 where m < delta_l (background:
    reversed), 1 elsewhere (the potential zone). A sample without tags is all background (-1).

    Shapes: score_maps (N, K, h, w), tags (N, K) multi-hot -> (N, 1, h, w) in {-1, 0, 1}.
    """
    if not 0.0 <= delta_l <= delta_h:
        raise ValueError(f'ternary_mask: need 0 <= delta_l <= delta_h, got delta_l={delta_l}, '
                         f'delta_h={delta_h}')
    normalized = minmax_normalize(score_maps.detach()) * tags[:, :, None, None].to(score_maps.dtype)
    m = normalized.amax(dim=1, keepdim=True)
    mask = torch.ones_like(m)
    mask[m >= delta_h] = 0.0
    mask[m < delta_l] = -1.0
    return mask


class _CReLU(torch.autograd.Function):

    @staticmethod
    def forward(ctx, x: Tensor, mask: Tensor) -> Tensor:
        ctx.save_for_backward(mask)
        return x.clamp(min=0) * mask

    @staticmethod
    def backward(ctx, grad_output: Tensor):
        mask, = ctx.saved_tensors
        grad = grad_output * mask
        # The mask broadcasts over channels: its own gradient is never needed (no propagate_down).
        return grad, None


def crelu(x: Tensor, mask: Tensor) -> Tensor:
    """C-ReLU: relu(x) * T_A, whose gradient with respect to x is exactly T_A (every channel is
    zeroed where erased; the official layer zeroes only channel 0). Its input is a post-ReLU feature
    map in SeeNet, where relu(x) = x.

    Shapes: x (N, C, h, w), mask (N, 1, h, w) -> (N, C, h, w)."""
    return _CReLU.apply(x, mask.detach())


def normalize_attention(maps: Tensor) -> Tensor:
    """vis.ipynb's attention: negatives set to 0, each map divided by its own maximum (a map with no
    positive value stays 0).

    Shapes: (N, K, H, W) -> (N, K, H, W) in [0, 1]."""
    maps = maps.clamp(min=0)
    peak = maps.amax(dim=(2, 3), keepdim=True)
    return torch.where(peak > FLAT_RANGE, maps / peak.clamp(min=FLAT_RANGE), torch.zeros_like(maps))
