from typing import Optional

import torch.nn as nn
from mmcv.cnn import build_activation_layer, build_norm_layer
from mmengine.model import BaseModule
from mmseg.models.utils import resize
from mmseg.registry import MODELS
from mmseg.utils import ConfigType, OptConfigType, OptMultiConfig
from torch import Tensor

from ..utils import require_in_channels

KERNEL_SIZE = 4
STRIDE = 2


@MODELS.register_module()
class ConvDiscriminator(BaseModule):
    """A stack of 4x4 stride-2 convolutions scoring (image, label map) pairs.

    The common body of MMAN's Macro and Micro discriminators (Luo et al. ECCV 2018, §3.3-3.4) and of
    AdaptSegNet's fully convolutional discriminator (Tsai et al. CVPR 2018, §3.2). Layer ``i`` maps to
    ``min(base_channels * 2**i, max_channels)`` channels with norm (not on the first layer) and
    activation; the last layer maps to one channel with neither. Every output position sees a
    ``receptive_field`` x ``receptive_field`` patch of the input.

    Args:
        in_channels (int, optional): Channels of the input. Left ``None`` in configs: the adversarial
            segmentor fills it in from what the discriminator sees (its ``inputs`` component, e.g.
            image + label map: 3 + C).
        num_convs (int): Number of convolutions, the final 1-channel one included.
        base_channels (int): Width of the first convolution.
        max_channels (int): Cap on the width of the later convolutions.
        norm_cfg (dict, optional): Norm after every hidden convolution but the first.
        act_cfg (dict): Activation after every hidden convolution.
        global_score (bool): Average the score map into one score per image. Inputs smaller than
            ``2**num_convs`` are then up-sampled to that size so the stack never runs out of pixels.

    Shapes:
        in: (N, in_channels, H, W).
        out: (N, 1, ceil(H / 2**num_convs), ceil(W / 2**num_convs)) raw scores (logits), or (N, 1, 1, 1)
        with ``global_score``.
    """

    def __init__(
        self,
        in_channels: Optional[int] = None,
        num_convs: int = 3,
        base_channels: int = 64,
        max_channels: int = 512,
        norm_cfg: OptConfigType = dict(type='IN'),
        act_cfg: ConfigType = dict(type='LeakyReLU', negative_slope=0.2),
        global_score: bool = False,
        init_cfg: OptMultiConfig = dict(type='Normal', std=0.02, layer='Conv2d')
    ) -> None:
        super().__init__(init_cfg=init_cfg)
        in_channels = require_in_channels(type(self).__name__, in_channels)
        if num_convs < 1:
            raise ValueError(f'{type(self).__name__}: num_convs must be >= 1, got {num_convs}')
        self.in_channels = in_channels
        self.num_convs = num_convs
        self.global_score = global_score
        widths = [min(base_channels * 2**i, max_channels) for i in range(num_convs - 1)] + [1]
        layers = []
        for i, out_channels in enumerate(widths):
            layers.append(nn.Conv2d(in_channels, out_channels, KERNEL_SIZE, stride=STRIDE, padding=1))
            if 0 < i < num_convs - 1 and norm_cfg is not None:
                layers.append(build_norm_layer(norm_cfg, out_channels)[1])
            if i < num_convs - 1:
                layers.append(build_activation_layer(act_cfg))
            in_channels = out_channels
        self.layers = nn.Sequential(*layers)

    @property
    def receptive_field(self) -> int:
        """Side of the input patch seen by one output position."""
        return 1 + (KERNEL_SIZE - 1) * (STRIDE**self.num_convs - 1) // (STRIDE - 1)

    def forward(self, x: Tensor) -> Tensor:
        """Score each position (or, with ``global_score``, each image); see the class docstring."""
        if self.global_score:
            min_size = STRIDE**self.num_convs
            h, w = x.shape[2:]
            if h < min_size or w < min_size:
                x = resize(x, size=(max(h, min_size), max(w, min_size)), mode='bilinear', align_corners=False)
            return self.layers(x).mean(dim=(2, 3), keepdim=True)
        return self.layers(x)
