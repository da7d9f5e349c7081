from .conv_discriminator import ConvDiscriminator
from .fov_discriminator import FOVDiscriminator
from .macro_discriminator import MacroDiscriminator
from .micro_discriminator import MicroDiscriminator
from .stanford_background_discriminator import StanfordBackgroundDiscriminator

__all__ = [
    'ConvDiscriminator', 'FOVDiscriminator', 'MacroDiscriminator', 'MicroDiscriminator',
    'StanfordBackgroundDiscriminator'
]
