from mmseg.registry import MODELS

from .conv_discriminator import ConvDiscriminator


@MODELS.register_module()
class MacroDiscriminator(ConvDiscriminator):
    """MMAN's Macro discriminator (Luo et al. ECCV 2018, §3.3): one global score per image.

    Four 4x4 stride-2 convolutions with InstanceNorm and LeakyReLU(0.2) reduce the paper's 16x16
    low-resolution label map (plus the image resized to it) to a single score, so every score sees the
    whole map and can penalise high-level inconsistencies such as a third leg or swapped left/right
    limbs. Larger maps are averaged into one score; smaller ones are up-sampled to 16x16 first.

    Shapes:
        in: (N, 3 + C, H, W), usually H = W = input / 16.
        out: (N, 1, 1, 1) raw scores.
    """

    def __init__(self, num_convs: int = 4, global_score: bool = True, **kwargs) -> None:
        super().__init__(num_convs=num_convs, global_score=global_score, **kwargs)
