"""Stanford Background (Gould, Fulton, Koller, ICCV 2009), 8 region classes."""
from mmseg.registry import DATASETS

from .checked_dataset import CheckedSegDataset

#: The region classes of the release's ``labels/*.regions.txt``, in id order (its README: "sky, tree,
#: road, grass, water, building, mountain, or foreground object"; a negative number is unknown).
STANFORD_BACKGROUND_CLASSES = ('sky', 'tree', 'road', 'grass', 'water', 'building', 'mountain',
                               'foreground object')


@DATASETS.register_module()
class StanfordBackgroundDataset(CheckedSegDataset):
    """Stanford Background: 715 outdoor scenes (about 320x240), 8 classes.

    The release (``iccv09Data.tar.gz``) has ``images/<stem>.jpg`` and
    ``labels/<stem>.regions.txt``, a whitespace-separated integer matrix of
    the image's size with values 0..7 and -1 (unknown). Luc et al. (2016,
    adversarial segmentation networks) report per-class accuracy, pixel
    accuracy and mIoU on it. ``tools/dataset_converters/stanford_background.py``
    writes PNG index labels (-1 -> 255, ignored) and a seeded train/val split
    (default 572 / 143, one fold of a five-fold split)::

        data/stanford_background
        ├── img_dir/{train,val}/<stem>.jpg
        ├── ann_dir/{train,val}/<stem>.png   (values 0..7, 255 = unknown)
        └── {train,val}.txt                  (the stems of each split)

    Classes: 0 sky, 1 tree, 2 road, 3 grass, 4 water, 5 building,
    6 mountain, 7 foreground object. No left/right classes.
    """
    METAINFO = dict(
        classes=STANFORD_BACKGROUND_CLASSES,
        palette=[[135, 206, 235], [34, 139, 34], [128, 128, 128], [124, 252, 0], [0, 0, 255], [178, 34, 34],
                 [139, 69, 19], [255, 215, 0]])
    EXPECTED_TREE = ('  img_dir/{train,val}/<stem>.jpg\n'
                     '  ann_dir/{train,val}/<stem>.png\n'
                     '(made by tools/dataset_converters/stanford_background.py)')
