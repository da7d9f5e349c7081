from typing import Optional, Sequence

import torch.nn as nn
from mmengine.model import BaseModule
from mmseg.registry import MODELS
from mmseg.utils import OptMultiConfig
from torch import Tensor

from ..utils import require_in_channels

#: Kernel sizes of the convolutions of each stage (a 2x2 stride-2 max pooling between stages); the last
#: convolution of the last stage maps to the score.
KERNELS = dict(large=((3, 3, 3), (3, 3), (3, 3)), small=((3, 1), (3, 1), (3, 1)))
#: Widths of the hidden convolutions (all but the last, 1-channel one) at the paper's size.
PAPER_CHANNELS = dict(large=(96, 128, 128, 256, 256, 512), small=(96, 128, 256, 256, 512))
#: Field of view on the label map given by Luc et al. for each network.
PAPER_RECEPTIVE_FIELDS = dict(large=34, small=18)


def receptive_field(layers: nn.Module) -> int:
    """Side of the input patch seen by one output position of a chain of convolutions and poolings
    (``layers`` visited in order; dilation 1)."""
    field, jump = 1, 1
    for m in layers.modules():
        if isinstance(m, (nn.Conv2d, nn.MaxPool2d)):
            kernel = m.kernel_size[0] if isinstance(m.kernel_size, tuple) else m.kernel_size
            stride = m.stride[0] if isinstance(m.stride, tuple) else m.stride
            field += (kernel - 1) * jump
            jump *= stride
    return field


@MODELS.register_module()
class FOVDiscriminator(BaseModule):
    """The Pascal VOC adversarial networks "LargeFOV" and "SmallFOV" of Luc et al. 2016
    (Semantic Segmentation using Adversarial Networks, NIPS 2016 Workshop on Adversarial Training,
    arXiv 1611.08408, §3.2 and the Pascal VOC experiments of §4).

    Plain VGG-style stacks: stride-1 "same"-padded convolutions, each followed by ReLU, with a 2x2
    stride-2 max pooling after the first and second stages; no normalisation. The two networks differ
    only in the second (and third) convolution of each stage, 3x3 for LargeFOV and 1x1 for SmallFOV,
    which sets the field of view of one score on the label map: 34x34 and 18x18 pixels, the numbers
    the paper gives. Layers (``Ck`` = k x k convolution + ReLU, ``P`` = max pool 2x2/2, ``S`` = the
    final convolution to the score, no ReLU):

    - ``field_of_view='large'``: C3-96, C3-128, C3-128, P, C3-256, C3-256, P, C3-512, S3;
      field 1 + 2*3 + 1 + 2*2*2 + 2 + 2*4*2 = 34.
    - ``field_of_view='small'``: C3-96, C1-128, P, C3-256, C1-256, P, C3-512, S1;
      field 1 + 2 + 1 + 2*2 + 2 + 2*4 = 18.

    The paper's lighter variants (LargeFOV-light, SmallFOV-light) keep these layer lists with fewer
    channels; set them through ``channels`` (public re-implementations use
    ``(96, 128, 128, 128, 128, 256)`` and ``(96, 128, 128, 128, 256)``, not checked against the
    paper). The field of view does not depend on the widths.

    The network sees one tensor: whatever the ``inputs`` component builds. Luc et al. feed it the
    label map alone ("basic", ``BasicLabelMapInput``, C channels), the image masked by each class map
    ("product", ``ProductLabelMapInput``, 3C) or a rescaled ground truth ("scaling",
    ``ScalingLabelMapInput``): there is no separate image branch, so any encoding works (the
    segmentor fills in ``in_channels``).

    Choices where the paper leaves room (stated here, not taken from it):

    - Output: one logit, the sigmoid logit of the paper's probability ``a(x, y)`` (a two-output
      real/fake softmax, as some re-implementations use, is equivalent), as the segmentor's GAN loss
      expects.
    - Pooling uses ``ceil_mode`` so maps of any size (the 4x4 "low" map included) keep at least one
      position and border pixels are never dropped.
    - ``global_score=True`` (default) averages the score map into one logit per image, the scalar
      ``a(x, y)`` of the paper's loss (Eq. 1); ``False`` keeps one logit per 34x34 / 18x18 patch.

    Parameter counts at the paper's widths (computed here, the paper lists none), for the product
    encoding on Pascal VOC (``in_channels`` = 3 x 21 = 63): LargeFOV 2,382,849, SmallFOV 1,608,577;
    for 23 input channels (image + 20 LIP classes): LargeFOV 2,348,289, SmallFOV 1,574,017.

    Args:
        in_channels (int, optional): Channels of the input. Left ``None`` in configs: the adversarial
            segmentor fills it in from the discriminator's ``inputs`` component.
        field_of_view (str): ``'large'`` (LargeFOV, 34x34) or ``'small'`` (SmallFOV, 18x18).
        channels (Sequence[int], optional): Widths of the hidden convolutions, 6 for ``'large'``, 5
            for ``'small'``. Default: the paper's (see above).
        global_score (bool): Average the score map into one score per image.

    Shapes:
        in: (N, in_channels, H, W).
        out: (N, 1, ceil(ceil(H / 2) / 2), ceil(ceil(W / 2) / 2)) raw scores (logits), or (N, 1, 1, 1)
        with ``global_score``.
    """

    def __init__(
        self,
        in_channels: Optional[int] = None,
        field_of_view: str = 'large',
        channels: Optional[Sequence[int]] = None,
        global_score: bool = True,
        init_cfg: OptMultiConfig = dict(type='Normal', std=0.02, layer='Conv2d')
    ) -> None:
        super().__init__(init_cfg=init_cfg)
        name = type(self).__name__
        in_channels = require_in_channels(name, in_channels)
        if field_of_view not in KERNELS:
            raise ValueError(f'{name}: field_of_view must be one of {tuple(KERNELS)}, got {field_of_view!r}')
        channels = tuple(PAPER_CHANNELS[field_of_view] if channels is None else channels)
        kernels = [k for stage in KERNELS[field_of_view] for k in stage]
        if len(channels) != len(kernels) - 1:
            raise ValueError(f'{name}: field_of_view={field_of_view!r} has {len(kernels) - 1} hidden '
                             f'convolutions, got {len(channels)} channels {channels}')
        self.in_channels = in_channels
        self.field_of_view = field_of_view
        self.global_score = global_score
        widths = iter(channels + (1, ))
        layers = []
        for i, stage in enumerate(KERNELS[field_of_view]):
            if i > 0:
                layers.append(nn.MaxPool2d(2, stride=2, ceil_mode=True))
            for kernel in stage:
                out_channels = next(widths)
                layers += [nn.Conv2d(in_channels, out_channels, kernel, padding=kernel // 2), nn.ReLU()]
                in_channels = out_channels
        layers.pop()  # no ReLU on the score
        self.layers = nn.Sequential(*layers)

    @property
    def receptive_field(self) -> int:
        """Side of the label-map patch seen by one position of the score map (34 or 18)."""
        return receptive_field(self.layers)

    def forward(self, x: Tensor) -> Tensor:
        """Score each patch (or, with ``global_score``, each image); see the class docstring."""
        scores = self.layers(x)
        return scores.mean(dim=(2, 3), keepdim=True) if self.global_score else scores
