from mmseg.registry import MODELS

from .label_map_input import LabelMapInput


@MODELS.register_module()
class BasicLabelMapInput(LabelMapInput):
    """Luc et al. 2016's "basic" encoding (§3.2): the label map alone, no image (they found that
    adding the image changes nothing).

    Shapes:
        in: labels (N, 1, H, W), logits (N, C, h, w).
        out: real (one-hot) and fake (softmax), each (N, C, h, w), ignored pixels zeroed.
    """

    def __init__(self) -> None:
        super().__init__(image_channels=0)
