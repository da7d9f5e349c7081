"""LIP (Look Into Person, Gong et al., CVPR 2017) with its files checked when the dataset is built."""
from mmseg.datasets import LIPDataset
from mmseg.registry import DATASETS

from .checked_dataset import CheckedSegDataset


@DATASETS.register_module()
class CheckedLIPDataset(CheckedSegDataset):
    """mmseg's :class:`LIPDataset` (same classes, palette and layout) with the checks of
    :class:`CheckedSegDataset`.

    Single-person parsing, 20 classes, 30,462 train / 10,000 val images (JPEG, some grayscale) with
    single-channel PNG labels (values 0..19). ``tools/dataset_converters/lip.py`` writes::

        data/LIP
        ├── train_images/*.jpg, val_images/*.jpg
        └── train_segmentations/*.png, val_segmentations/*.png

    mmseg's ``LIPDataset`` silently drops an image that is not a ``.jpg`` and ignores a label
    without its image; here these, a missing label, a label of another size than its image and a
    multi-channel label stop the build with the file names. MMAN (ECCV 2018) reports 46.81 mIoU on
    LIP val.
    """
    METAINFO = LIPDataset.METAINFO
    EXPECTED_TREE = ('  train_images/*.jpg, val_images/*.jpg\n'
                     '  train_segmentations/*.png, val_segmentations/*.png\n'
                     '(made by tools/dataset_converters/lip.py)')
