"""PASCAL-Person-Part (Chen et al., CVPR 2014), 7 body-part classes."""
from mmseg.registry import DATASETS

from .checked_dataset import CheckedSegDataset


@DATASETS.register_module()
class PascalPersonPartDataset(CheckedSegDataset):
    """PASCAL-Person-Part: multi-person part parsing, no left/right.

    1,716 train / 1,817 test images (the test split is called ``val`` here,
    as in the release's ``val_id.txt``). MMAN (ECCV 2018) reports
    58.45 mIoU on it. Labels are single-channel PNGs whose values are the
    class ids below; other packagings order the parts differently, so
    convert the official release with
    ``tools/dataset_converters/pascal_person_part.py``, which writes::

        data/pascal_person_part
        ├── img_dir
        │   ├── train/2008_000008.jpg ...   (1,716)
        │   └── val/...                     (1,817)
        └── ann_dir
            ├── train/2008_000008.png ...   (values 0..6)
            └── val/...

    Classes: 0 Background, 1 Head, 2 Torso, 3 Upper-arms, 4 Lower-arms,
    5 Upper-legs, 6 Lower-legs.
    """
    METAINFO = dict(
        classes=('Background', 'Head', 'Torso', 'Upper-arms', 'Lower-arms', 'Upper-legs', 'Lower-legs'),
        palette=[[0, 0, 0], [128, 0, 0], [0, 128, 0], [128, 128, 0], [0, 0, 128], [128, 0, 128],
                 [0, 128, 128]])
    EXPECTED_TREE = ('  img_dir/{train,val}/<id>.jpg\n'
                     '  ann_dir/{train,val}/<id>.png\n'
                     '(made by tools/dataset_converters/pascal_person_part.py)')
