from mmseg.registry import MODELS

from .conv_discriminator import ConvDiscriminator


@MODELS.register_module()
class MicroDiscriminator(ConvDiscriminator):
    """MMAN's Micro discriminator (Luo et al. ECCV 2018, §3.4): a PatchGAN on the full-resolution map.

    Three 4x4 stride-2 convolutions with InstanceNorm and LeakyReLU(0.2); each output position sees a
    22x22 patch of the label map (plus the image), so it judges local consistency (holes, blur, ragged
    boundaries) only. The adversarial loss averages over all positions.

    Shapes:
        in: (N, 3 + C, H, W), the full-resolution map.
        out: (N, 1, ceil(H / 8), ceil(W / 8)) raw scores, one per patch.
    """

    def __init__(self, num_convs: int = 3, global_score: bool = False, **kwargs) -> None:
        super().__init__(num_convs=num_convs, global_score=global_score, **kwargs)
