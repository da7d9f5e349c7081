from .check_seg_map_values import CheckSegMapValues
from .load_ppss_annotations import LoadPPSSAnnotations

__all__ = ['CheckSegMapValues', 'LoadPPSSAnnotations']
