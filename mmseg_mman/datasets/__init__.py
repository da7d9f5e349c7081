from .atr import ATR_CLASSES, ATRDataset
from .ccp import CCP_COARSE_CLASSES, CCP_LABEL_TO_COARSE, CCPDataset
from .checked_dataset import CheckedSegDataset
from .cihp import CIHP_CLASSES, CIHPDataset
from .domain_adaptation_dataset import DomainAdaptationDataset
from .flip_pairs import derive_flip_pairs, resolve_flip_pairs
from .gta5 import GTA5_ID_TO_TRAIN_ID, GTA5Dataset
from .lip import CheckedLIPDataset
from .parsing_folder import ParsingFolderDataset
from .pascal_person_part import PascalPersonPartDataset
from .ppss import PPSS_GREY_LEVELS, PPSS_VIDEO_SPLITS, PPSSDataset
from .recipe import human_parsing_recipe
from .stanford_background import STANFORD_BACKGROUND_CLASSES, StanfordBackgroundDataset
from .synthia import SYNTHIA_13_CLASSES, SYNTHIA_16_CLASSES, SYNTHIA_ID_TO_TRAIN_ID, SynthiaDataset
from .train_ids import map_to_train_ids
from .transforms import CheckSegMapValues, LoadPPSSAnnotations

__all__ = [
    'CCPDataset', 'CCP_COARSE_CLASSES', 'CCP_LABEL_TO_COARSE', 'CheckedSegDataset', 'DomainAdaptationDataset',
    'PascalPersonPartDataset', 'PPSSDataset', 'PPSS_GREY_LEVELS', 'PPSS_VIDEO_SPLITS', 'CheckSegMapValues',
    'LoadPPSSAnnotations', 'GTA5Dataset', 'GTA5_ID_TO_TRAIN_ID', 'SynthiaDataset', 'SYNTHIA_ID_TO_TRAIN_ID',
    'SYNTHIA_16_CLASSES', 'SYNTHIA_13_CLASSES', 'map_to_train_ids', 'StanfordBackgroundDataset',
    'STANFORD_BACKGROUND_CLASSES', 'ATRDataset', 'ATR_CLASSES', 'CIHPDataset', 'CIHP_CLASSES',
    'ParsingFolderDataset', 'derive_flip_pairs', 'resolve_flip_pairs', 'human_parsing_recipe',
    'CheckedLIPDataset'
]
