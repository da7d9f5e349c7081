from .deeplabv2_head import DeepLabV2Head
from .mman_head import MMANHead
from .seenet_head import SeeNetHead

__all__ = ['DeepLabV2Head', 'MMANHead', 'SeeNetHead']
