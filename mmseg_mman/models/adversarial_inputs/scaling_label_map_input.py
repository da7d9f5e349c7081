from typing import Tuple

import torch
from mmseg.registry import MODELS
from torch import Tensor

from .label_map_input import LabelMapInput


@MODELS.register_module()
class ScalingLabelMapInput(LabelMapInput):
    """Luc et al. 2016's "scaling" encoding (§3.2): real maps that a softmax could have produced.

    At each pixel the ground-truth class ``l`` gets ``y_l = max(tau, s_l)``, where ``s`` is G's
    softmax there, and every other class ``c`` the rest in proportion to the prediction,
    ``y_c = s_c (1 - y_l) / (1 - s_l)``, so the real map sums to 1 and is as peaked as the
    prediction or more (at least ``tau``), never exactly one-hot. A discriminator can then no
    longer separate real from fake by the value range alone (the one-hot leak of the default
    :class:`LabelMapInput`). The fake map is the softmax itself. The image is put beside the map
    as in :class:`LabelMapInput` (``image_channels=0`` leaves it out).

    Args:
        tau (float): The least value of the ground-truth class in a real map (paper: 0.9).
        image_channels (int): As in :class:`LabelMapInput`.

    Shapes:
        in: images (N, image_channels, H, W), labels (N, 1, H, W), logits (N, C, h, w).
        out: real and fake, each (N, image_channels + C, h, w).
    """

    def __init__(self, tau: float = 0.9, image_channels: int = 3) -> None:
        if not 0.0 < tau <= 1.0:
            raise ValueError(f'ScalingLabelMapInput: tau={tau} must be in (0, 1]')
        super().__init__(image_channels=image_channels)
        self.tau = tau

    def label_maps(self, one_hot: Tensor, probabilities: Tensor) -> Tuple[Tensor, Tensor]:
        truth = (one_hot * probabilities).sum(dim=1, keepdim=True)  # s_l
        scaled_truth = truth.clamp(min=self.tau)  # y_l
        # s_l = 1 leaves nothing to share (every s_c is 0): the clamp only avoids 0 / 0.
        others = probabilities * (1.0 - scaled_truth) / (1.0 - truth).clamp(min=torch.finfo(truth.dtype).eps)
        return one_hot * scaled_truth + (1.0 - one_hot) * others, probabilities
