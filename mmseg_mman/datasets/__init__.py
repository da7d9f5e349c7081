from .ccp import CCP_COARSE_CLASSES, CCP_LABEL_TO_COARSE, CCPDataset
from .checked_dataset import CheckedSegDataset
from .pascal_person_part import PascalPersonPartDataset
from .ppss import PPSS_GREY_LEVELS, PPSS_VIDEO_SPLITS, PPSSDataset
from .transforms import CheckSegMapValues, LoadPPSSAnnotations

__all__ = [
    'CCPDataset', 'CCP_COARSE_CLASSES', 'CCP_LABEL_TO_COARSE',
    'CheckedSegDataset', 'PascalPersonPartDataset', 'PPSSDataset',
    'PPSS_GREY_LEVELS', 'PPSS_VIDEO_SPLITS', 'CheckSegMapValues',
    'LoadPPSSAnnotations'
]
