from typing import Sequence, Tuple

import torch
import torch.nn.functional as F
from mmseg.registry import MODELS
from torch import Tensor

from ..utils import nearest_resize
from .base_adversarial_input import BaseAdversarialInput, GeneratorOutputs


@MODELS.register_module()
class LabelMapInput(BaseAdversarialInput):
    """Supervised adversarial input: the image with a label map, the "image" encoding (MMAN, Luo
    et al. ECCV 2018, §3.3-3.4; the image + label-map input of Luc et al. 2016, §3.2).

    Real is the image concatenated with the one-hot ground truth, fake the image concatenated
    with the softmax of the judged output. Both are at the resolution of that output: the labels
    and the image are nearest-sampled at the same positions (:func:`nearest_resize`), and pixels
    labelled ``ignore_index`` are zeroed in both maps, so neither side tells D where labels are
    missing. Other encodings are subclasses: they override :meth:`label_maps` (what the real and
    fake class maps hold, e.g. :class:`ScalingLabelMapInput`) or :meth:`encode` and
    :meth:`in_channels` (how maps and image are combined, e.g. :class:`ProductLabelMapInput`).

    Note the leak this default leaves open: a real map is one-hot (per-pixel maximum 1), a fake
    one a softmax, so a discriminator can tell them apart by their value range alone; Luc et al.'s
    scaling encoding closes it.

    Args:
        image_channels (int): Channels of the input image put beside the map; 0 leaves the image
            out (Luc et al.'s "basic" encoding, :class:`BasicLabelMapInput`).

    Shapes:
        in: images (N, image_channels, H, W), labels (N, 1, H, W), logits (N, C, h, w).
        out: real and fake, each (N, image_channels + C, h, w).
    """

    def __init__(self, image_channels: int = 3) -> None:
        self.image_channels = image_channels

    @property
    def leading_image_channels(self) -> int:
        return self.image_channels

    def in_channels(self, num_classes: int) -> int:
        return self.image_channels + num_classes

    def describe_channels(self, num_classes: int) -> str:
        return (f'image_channels ({self.image_channels}) + num_classes ({num_classes}) = '
                f'{self.in_channels(num_classes)}')

    def input_shape(self, image_shape: Sequence[int], map_shape: Sequence[int],
                    num_classes: int) -> Tuple[int, ...]:
        return (map_shape[0], self.in_channels(num_classes), *map_shape[2:])

    def real_and_fake(self, generated: GeneratorOutputs, output: str) -> Tuple[Tensor, Tensor]:
        logits = generated.outputs[output]
        size, num_classes = logits.shape[2:], logits.shape[1]
        labels = torch.stack([sample.gt_sem_seg.data for sample in generated.data_samples])
        labels = nearest_resize(labels, size).squeeze(1)
        valid = (labels != generated.ignore_index).unsqueeze(1).to(logits.dtype)
        one_hot = F.one_hot(labels.clamp(0, num_classes - 1), num_classes).permute(0, 3, 1, 2)
        real_map, fake_map = self.label_maps(one_hot.to(logits.dtype), logits.softmax(dim=1))
        image = nearest_resize(generated.inputs, size)
        if image.shape[1] != self.image_channels and self.image_channels:
            raise ValueError(f'{type(self).__name__}(image_channels={self.image_channels}) got images with '
                             f'{image.shape[1]} channels from the data preprocessor')
        return self.encode(image, real_map * valid), self.encode(image, fake_map * valid)

    def label_maps(self, one_hot: Tensor, probabilities: Tensor) -> Tuple[Tensor, Tensor]:
        """The (real, fake) class maps, each (N, C, h, w): the one-hot ground truth and G's
        softmax."""
        return one_hot, probabilities

    def encode(self, image: Tensor, label_map: Tensor) -> Tensor:
        """(N, image_channels + C, h, w): the image and a (N, C, h, w) map side by side."""
        return torch.cat([image, label_map], dim=1) if self.image_channels else label_map
