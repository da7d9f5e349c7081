from typing import List, Sequence

import torch.nn as nn
from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.registry import MODELS
from mmseg.utils import OptMultiConfig
from torch import Tensor


@MODELS.register_module()
class DeepLabV2Head(BaseDecodeHead):
    """DeepLab-v2 classifier: parallel dilated 3x3 convolutions straight to the classes, summed.

    The ASPP of DeepLab-v2 (Chen et al. TPAMI 2018, §3.3, "ASPP-L") as the segmentation network of
    AdaptSegNet (Tsai et al. CVPR 2018, §4.1): on ResNet-101 the main classifier sits on layer4
    (2048 channels) and the auxiliary one on layer3 (1024 channels), both at output stride 8. There is
    no hidden layer, no norm and no dropout: every branch maps ``in_channels`` to ``num_classes``.
    The authors' code returns after the second branch, so it sums only the rates 6 and 12;
    ``dilations=(6, 12)`` reproduces that.

    Args:
        in_channels (int): Channels of the selected backbone stage (``in_index``).
        dilations (Sequence[int]): Dilation (= padding) of each 3x3 branch.
        init_cfg (dict): Default N(0, 0.01) on every branch, as the authors' code.
        **kwargs: :class:`BaseDecodeHead` arguments (``num_classes``, ``in_index``, ``loss_decode``,
            ``align_corners``, ...). ``channels`` is not used (there is no hidden layer) and defaults
            to ``in_channels``.

    Shapes:
        in: list of backbone features; ``inputs[in_index]`` is (N, in_channels, H, W).
        out: (N, num_classes, H, W) logits.
    """

    def __init__(self,
                 in_channels: int,
                 dilations: Sequence[int] = (6, 12, 18, 24),
                 dropout_ratio: float = 0.0,
                 init_cfg: OptMultiConfig = dict(type='Normal', std=0.01, layer='Conv2d'),
                 **kwargs) -> None:
        if not dilations:
            raise ValueError('DeepLabV2Head: dilations must name at least one rate')
        if dropout_ratio:
            raise ValueError(f'DeepLabV2Head: dropout_ratio={dropout_ratio}; the classifier has no '
                             'hidden layer to drop, leave it 0')
        kwargs.setdefault('channels', in_channels)
        super().__init__(in_channels=in_channels, dropout_ratio=0.0, init_cfg=init_cfg, **kwargs)
        # The branches are the classifier: BaseDecodeHead's 1x1 conv_seg would be an unused parameter.
        del self.conv_seg
        self.dilations = tuple(dilations)
        self.aspp = nn.ModuleList(
            nn.Conv2d(self.in_channels, self.out_channels, 3, padding=d, dilation=d) for d in dilations)

    def forward(self, inputs: List[Tensor]) -> Tensor:
        """Sum of the branch logits; see the class docstring for shapes."""
        x = self._transform_inputs(inputs)
        return sum(branch(x) for branch in self.aspp)
