from typing import Sequence, Tuple

from mmseg.models.utils import resize
from mmseg.registry import MODELS
from torch import Tensor

from .base_adversarial_input import BaseAdversarialInput, GeneratorOutputs


@MODELS.register_module()
class DomainOutputInput(BaseAdversarialInput):
    """Output-space domain adaptation input (AdaptSegNet, Tsai et al. CVPR 2018, §3.1-3.2).

    Real is the softmax of the judged output on the labelled source images, fake the softmax of
    the same output on the unlabelled target images; no image and no label is involved (target
    labels are never read). The segmentor runs the generator on the batch's ``target_inputs``
    because :attr:`needs_target_domain` is set.

    Args:
        resize_to_input (bool): Resize the logits bilinearly to their input image before the
            softmax, as AdaptSegNet does (default); False keeps the output's own resolution.

    Shapes:
        in: source logits (N, C, h, w) of images (N, 3, H, W); target logits (M, C, h_t, w_t) of
        images (M, 3, H_t, W_t).
        out: real (N, C, H, W) and fake (M, C, H_t, W_t) with ``resize_to_input``, else
        (N, C, h, w) and (M, C, h_t, w_t).
    """

    needs_target_domain = True

    def __init__(self, resize_to_input: bool = True) -> None:
        self.resize_to_input = resize_to_input

    def in_channels(self, num_classes: int) -> int:
        return num_classes

    def describe_channels(self, num_classes: int) -> str:
        return f'the softmax of the output alone: num_classes = {num_classes}'

    def input_shape(self, image_shape: Sequence[int], map_shape: Sequence[int],
                    num_classes: int) -> Tuple[int, ...]:
        size = image_shape[2:] if self.resize_to_input else map_shape[2:]
        return (map_shape[0], num_classes, *size)

    def real_and_fake(self, generated: GeneratorOutputs, output: str) -> Tuple[Tensor, Tensor]:
        if generated.target_outputs is None:
            raise KeyError('DomainOutputInput needs the target-domain outputs of a two-domain batch '
                           '(GeneratorOutputs.target_outputs is None)')
        real = self._probabilities(generated.outputs[output], generated.inputs, generated.align_corners)
        fake = self._probabilities(generated.target_outputs[output], generated.target_inputs,
                                   generated.align_corners)
        return real, fake

    def _probabilities(self, logits: Tensor, images: Tensor, align_corners: bool) -> Tensor:
        if self.resize_to_input:
            logits = resize(logits, size=images.shape[2:], mode='bilinear', align_corners=align_corners)
        return logits.softmax(dim=1)
