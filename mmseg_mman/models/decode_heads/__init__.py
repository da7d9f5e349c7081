from .deeplabv2_head import DeepLabV2Head
from .mman_head import MMANHead

__all__ = ['DeepLabV2Head', 'MMANHead']
