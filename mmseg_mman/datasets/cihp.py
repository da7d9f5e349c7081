"""CIHP (Crowd Instance-level Human Parsing, Gong et al., ECCV 2018), 20 classes."""
from mmseg.datasets import LIPDataset
from mmseg.registry import DATASETS

from .checked_dataset import CheckedSegDataset

#: CIHP's classes in its own id order: LIP's, except id 10 (Torso-skin, not Jumpsuits).
CIHP_CLASSES = ('Background', 'Hat', 'Hair', 'Glove', 'Sunglasses', 'UpperClothes', 'Dress', 'Coat', 'Socks',
                'Pants', 'Torso-skin', 'Scarf', 'Skirt', 'Face', 'Left-arm', 'Right-arm', 'Left-leg',
                'Right-leg', 'Left-shoe', 'Right-shoe')


@DATASETS.register_module()
class CIHPDataset(CheckedSegDataset):
    """CIHP: multi-person scenes labelled with 20 semantic part classes.

    28,280 train / 5,000 val images (the test split has no public labels).
    The semantic labels (``Category_ids``) are single-channel PNGs whose
    values are the ids below: LIP's classes except id 10, which is
    Torso-skin in CIHP (Jumpsuits in LIP), so a LIP model's id 10 means
    something else here. The left/right ids are LIP's: (14, 15), (16, 17),
    (18, 19). ``tools/dataset_converters/cihp.py`` converts the release
    (``instance-level_human_parsing/{Training,Validation}``) into::

        data/CIHP
        ├── img_dir/{train,val}/0000006.jpg ...
        └── ann_dir/{train,val}/0000006.png ...   (values 0..19)

    Classes: 0 Background, 1 Hat, 2 Hair, 3 Glove, 4 Sunglasses,
    5 UpperClothes, 6 Dress, 7 Coat, 8 Socks, 9 Pants, 10 Torso-skin,
    11 Scarf, 12 Skirt, 13 Face, 14 Left-arm, 15 Right-arm, 16 Left-leg,
    17 Right-leg, 18 Left-shoe, 19 Right-shoe. Palette: LIP's (the CIHP
    release colours its maps the same way).
    """
    METAINFO = dict(classes=CIHP_CLASSES, palette=[list(colour) for colour in LIPDataset.METAINFO['palette']])
    EXPECTED_TREE = ('  img_dir/{train,val}/<id>.jpg\n'
                     '  ann_dir/{train,val}/<id>.png\n'
                     '(made by tools/dataset_converters/cihp.py)')
