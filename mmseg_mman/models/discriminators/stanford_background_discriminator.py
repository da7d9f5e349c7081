from typing import Optional, Sequence

import torch
import torch.nn as nn
from mmengine.model import BaseModule
from mmseg.registry import MODELS
from mmseg.utils import OptMultiConfig
from torch import Tensor

from ..utils import require_in_channels


def conv_relu(in_channels: int, widths: Sequence[int], kernel: int) -> list:
    """``kernel`` x ``kernel`` "same"-padded convolutions to each of ``widths``, each with ReLU."""
    layers = []
    for out_channels in widths:
        layers += [nn.Conv2d(in_channels, out_channels, kernel, padding=kernel // 2), nn.ReLU()]
        in_channels = out_channels
    return layers


@MODELS.register_module()
class StanfordBackgroundDiscriminator(BaseModule):
    """The adversarial network of Luc et al. 2016 for the Stanford Background dataset (Semantic
    Segmentation using Adversarial Networks, NIPS 2016 Workshop on Adversarial Training, arXiv
    1611.08408, §3.2, Fig. 2): an image branch and a label-map branch, fused by concatenation.

    Layers (``Ck-n`` = k x k "same"-padded convolution to n channels + ReLU, ``P`` = 2x2 stride-2 max
    pooling, ``S3`` = 3x3 convolution to the score, no ReLU; no normalisation anywhere):

    - label-map branch: C5-64 on the C class maps;
    - image branch: C5-16, C5-64 on the image;
    - fused (64 + 64 = 128 channels): C3-128, P, C3-256, P, C3-512, S3, then the mean over positions.

    One position of the score map (before the mean) sees a 30x30 patch of the label map and a 34x34
    patch of the image; the score of an image, their mean, sees all of both.

    Input: one tensor, as the ``inputs`` component builds it. ``LabelMapInput`` (and
    ``ScalingLabelMapInput``) put the image first, so the first ``image_channels`` channels go to the
    image branch and the remaining ``in_channels - image_channels`` (the C class maps) to the
    label-map branch. With ``image_channels=0`` there is no image branch and the fused trunk starts
    from the 64 label-map features. Set it for inputs whose channels are all map channels:
    ``BasicLabelMapInput`` (the map alone), ``ProductLabelMapInput`` (the image folded into the map)
    or any input with ``image_channels=0``. The paper pairs those encodings with its single-stream
    Pascal VOC networks (:class:`FOVDiscriminator`), where everything enters as one tensor, so the
    label-map branch alone is the equivalent here. Inside the adversarial segmentor ``image_channels``
    comes from the input component (``leading_image_channels``: 3 for ``LabelMapInput`` and
    ``ScalingLabelMapInput``, 0 for the basic and product encodings), like ``in_channels``; a value
    set in the config that disagrees is an error.

    Choices where the paper leaves room (stated here, not taken from it):

    - Both branches run at the label map's resolution (the input component samples the image there),
      so the image branch has no pooling and the concatenation needs no resize.
    - Output: one logit (a two-output real/fake softmax is equivalent), averaged over the score map
      into the scalar sigmoid logit of ``a(x, y)`` in the paper's loss (Eq. 1); ``global_score=False``
      keeps the map. Pooling uses ``ceil_mode`` so inputs of any size keep at least one position.

    Parameter count at the paper's widths (computed here, the paper lists none): 1,667,265 for
    Stanford Background (3 + 8 classes = 11 channels); 1,686,465 for image + 20 LIP classes (23);
    1,585,857 with ``image_channels=0`` on the 20 LIP class maps (the fused trunk then takes 64
    channels).

    Args:
        in_channels (int, optional): Channels of the input, image and map together. Left ``None`` in
            configs: the adversarial segmentor fills it in from the discriminator's ``inputs``
            component (``LabelMapInput``: image_channels + C).
        image_channels (int): Leading channels that are the image (3); 0: no image branch.
        map_channels (int): Width of the label-map branch's convolution.
        image_branch_channels (Sequence[int]): Widths of the image branch's convolutions.
        channels (Sequence[int]): Widths of the fused convolutions, a max pooling after each but the
            last; the score convolution follows.
        global_score (bool): Average the score map into one score per image.

    Shapes:
        in: (N, in_channels, H, W): image (N, image_channels, H, W) then map (N, C, H, W).
        out: (N, 1, 1, 1) raw scores (logits); without ``global_score``
        (N, 1, ceil(ceil(H / 2) / 2), ceil(ceil(W / 2) / 2)).
    """

    #: The segmentor fills in ``image_channels`` from the discriminator's input component.
    reads_image_channels = True

    def __init__(
        self,
        in_channels: Optional[int] = None,
        image_channels: int = 3,
        map_channels: int = 64,
        image_branch_channels: Sequence[int] = (16, 64),
        channels: Sequence[int] = (128, 256, 512),
        global_score: bool = True,
        init_cfg: OptMultiConfig = dict(type='Normal', std=0.02, layer='Conv2d')
    ) -> None:
        super().__init__(init_cfg=init_cfg)
        name = type(self).__name__
        in_channels = require_in_channels(name, in_channels)
        if image_channels < 0 or in_channels <= image_channels:
            raise ValueError(f'{name}: in_channels ({in_channels}) must exceed image_channels '
                             f'({image_channels}) by the class maps of the label-map branch; set '
                             'image_channels=0 for inputs without an image')
        self.in_channels = in_channels
        self.image_channels = image_channels
        self.global_score = global_score
        self.map_branch = nn.Sequential(*conv_relu(in_channels - image_channels, [map_channels], 5))
        self.image_branch = nn.Sequential(*conv_relu(image_channels, image_branch_channels, 5)) \
            if image_channels else None
        fused = map_channels + (image_branch_channels[-1] if image_channels else 0)
        layers = []
        for i, out_channels in enumerate(channels):
            layers += conv_relu(fused, [out_channels], 3)
            if i < len(channels) - 1:
                layers.append(nn.MaxPool2d(2, stride=2, ceil_mode=True))
            fused = out_channels
        layers.append(nn.Conv2d(fused, 1, 3, padding=1))
        self.layers = nn.Sequential(*layers)

    def forward(self, x: Tensor) -> Tensor:
        """Score each image (or, without ``global_score``, each position); see the class docstring."""
        image, label_map = x[:, :self.image_channels], x[:, self.image_channels:]
        feats = self.map_branch(label_map)
        if self.image_branch is not None:
            feats = torch.cat([self.image_branch(image), feats], dim=1)
        scores = self.layers(feats)
        return scores.mean(dim=(2, 3), keepdim=True) if self.global_score else scores
