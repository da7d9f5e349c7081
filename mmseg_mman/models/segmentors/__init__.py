from .adversarial_encoder_decoder import AdversarialEncoderDecoder
from .seenet import SeeNet

__all__ = ['AdversarialEncoderDecoder', 'SeeNet']
