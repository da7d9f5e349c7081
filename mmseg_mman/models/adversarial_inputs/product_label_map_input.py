from mmseg.registry import MODELS
from torch import Tensor

from .label_map_input import LabelMapInput


@MODELS.register_module()
class ProductLabelMapInput(LabelMapInput):
    """Luc et al. 2016's "product" encoding (§3.2): the RGB image masked by each class map.

    Channel block ``c`` holds the image multiplied by the (one-hot or softmax) map of class ``c``,
    so the discriminator sees what each class covers and its appearance, and no channel of its
    own tells the class maps' value range apart from the image's.

    Args:
        image_channels (int): Channels of the image (3, RGB, as in the paper). A data preprocessor
            giving another count is an error at the first training step.

    Shapes:
        in: images (N, image_channels, H, W), labels (N, 1, H, W), logits (N, C, h, w).
        out: real and fake, each (N, image_channels * C, h, w); block ``c`` is
        ``image * map[:, c]``.
    """

    def __init__(self, image_channels: int = 3) -> None:
        if image_channels < 1:
            raise ValueError(f'ProductLabelMapInput: image_channels={image_channels}; the product '
                             'encoding masks the image, it needs one (3 for RGB)')
        super().__init__(image_channels=image_channels)

    @property
    def leading_image_channels(self) -> int:
        return 0  # the image is folded into every block

    def in_channels(self, num_classes: int) -> int:
        return self.image_channels * num_classes

    def describe_channels(self, num_classes: int) -> str:
        return (f'image_channels ({self.image_channels}) x num_classes ({num_classes}) = '
                f'{self.in_channels(num_classes)}')

    def encode(self, image: Tensor, label_map: Tensor) -> Tensor:
        return (label_map[:, :, None] * image[:, None]).flatten(1, 2)
