from abc import ABCMeta, abstractmethod
from dataclasses import dataclass
from typing import Dict, Optional, Sequence, Tuple

from mmseg.utils import SampleList
from torch import Tensor


@dataclass
class GeneratorOutputs:
    """What one generator forward produced, as the discriminator inputs read it.

    Attributes:
        inputs: (N, 3, H, W) preprocessed images of the labelled (source) batch.
        outputs: ``{name: (N, C, h, w) logits}`` of every map a discriminator can judge (see
            :attr:`AdversarialEncoderDecoder.output_names`).
        data_samples: The batch's samples (``gt_sem_seg`` (1, H, W) each).
        ignore_index: Label value that marks pixels without a class.
        align_corners: The decode head's ``align_corners``, for any bilinear resize of its logits.
        target_inputs: (M, 3, H_t, W_t) unlabelled target-domain images, for inputs with
            ``needs_target_domain``; else None.
        target_outputs: ``{name: (M, C, h_t, w_t) logits}`` of the target images; else None.
    """
    inputs: Tensor
    outputs: Dict[str, Tensor]
    data_samples: SampleList
    ignore_index: int = 255
    align_corners: bool = False
    target_inputs: Optional[Tensor] = None
    target_outputs: Optional[Dict[str, Tensor]] = None


class BaseAdversarialInput(metaclass=ABCMeta):
    """What a discriminator sees: the pair of maps it learns to tell apart.

    One instance belongs to one discriminator of an :class:`AdversarialEncoderDecoder` (config
    key ``discriminators.<name>.inputs``). The segmentor runs the generator once, hands the
    results to :meth:`real_and_fake`, updates the discriminator on the detached pair and trains
    the generator to make ``fake`` score as real. The component also derives the discriminator's
    ``in_channels``. A new way of presenting maps to a discriminator (an encoding, a domain) is a
    new subclass; the training loop does not change.
    """

    #: True when :meth:`real_and_fake` reads the target-domain fields of :class:`GeneratorOutputs`
    #: (the segmentor then runs the generator on the batch's ``target_inputs`` too).
    needs_target_domain: bool = False
    #: How many leading channels of each map are the image itself (0: none). A discriminator with
    #: separate image and map branches gets it as ``image_channels`` from the segmentor.
    leading_image_channels: int = 0

    @abstractmethod
    def in_channels(self, num_classes: int) -> int:
        """Channels of the maps the discriminator sees, for a head predicting ``num_classes``."""

    @abstractmethod
    def describe_channels(self, num_classes: int) -> str:
        """How :meth:`in_channels` is made up, for error messages (e.g. ``'3 + 20 = 23'``)."""

    @abstractmethod
    def input_shape(self, image_shape: Sequence[int], map_shape: Sequence[int],
                    num_classes: int) -> Tuple[int, ...]:
        """Shape of one side of the pair for an (N, 3, H, W) image whose judged logits are
        ``map_shape`` (N, C, h, w)."""

    @abstractmethod
    def real_and_fake(self, generated: GeneratorOutputs, output: str) -> Tuple[Tensor, Tensor]:
        """The (real, fake) maps built from the logits ``generated.outputs[output]``; both carry
        the generator's gradient where they depend on its output (the segmentor detaches them
        for the discriminator's own step)."""
