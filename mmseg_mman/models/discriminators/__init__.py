from .conv_discriminator import ConvDiscriminator
from .macro_discriminator import MacroDiscriminator
from .micro_discriminator import MicroDiscriminator

__all__ = ['ConvDiscriminator', 'MacroDiscriminator', 'MicroDiscriminator']
