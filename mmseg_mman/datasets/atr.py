"""ATR (Liang et al., "Deep Human Parsing with Active Template Regression", TPAMI 2015), 18 classes."""
from mmseg.datasets import PascalVOCDataset
from mmseg.registry import DATASETS

from .checked_dataset import CheckedSegDataset

#: ATR's classes in its id order.
ATR_CLASSES = ('Background', 'Hat', 'Hair', 'Sunglasses', 'Upper-clothes', 'Skirt', 'Pants', 'Dress', 'Belt',
               'Left-shoe', 'Right-shoe', 'Face', 'Left-leg', 'Right-leg', 'Left-arm', 'Right-arm', 'Bag',
               'Scarf')


@DATASETS.register_module()
class ATRDataset(CheckedSegDataset):
    """ATR: single-person fashion photos labelled with 18 classes.

    17,700 images with labels (``JPEGImages/*.jpg``,
    ``SegmentationClassAug/*.png``, values = the ids below) and no split
    files; the split used since Liang et al. (TPAMI 2015) is 16,000 train /
    700 val / 1,000 test. ``tools/dataset_converters/atr.py`` makes it
    (seeded, or from given id lists) and writes::

        data/ATR
        ├── img_dir/{train,val,test}/<id>.jpg
        └── ann_dir/{train,val,test}/<id>.png   (values 0..17)

    Classes: 0 Background, 1 Hat, 2 Hair, 3 Sunglasses, 4 Upper-clothes,
    5 Skirt, 6 Pants, 7 Dress, 8 Belt, 9 Left-shoe, 10 Right-shoe, 11 Face,
    12 Left-leg, 13 Right-leg, 14 Left-arm, 15 Right-arm, 16 Bag, 17 Scarf.
    Left/right pairs (not LIP's ids): (9, 10), (12, 13), (14, 15).
    """
    # The PASCAL VOC colour map, with which SCHP colours ATR maps.
    METAINFO = dict(classes=ATR_CLASSES, palette=PascalVOCDataset.METAINFO['palette'][:len(ATR_CLASSES)])
    EXPECTED_TREE = ('  img_dir/{train,val,test}/<id>.jpg\n'
                     '  ann_dir/{train,val,test}/<id>.png\n'
                     '(made by tools/dataset_converters/atr.py)')
