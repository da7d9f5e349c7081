"""GTA5 (Richter et al., ECCV 2016, "Playing for Data") with Cityscapes' 19 training classes."""
from types import MappingProxyType

from mmseg.datasets import CityscapesDataset
from mmseg.registry import DATASETS

from .checked_dataset import CheckedSegDataset

#: GTA5 label id (= Cityscapes label id) -> Cityscapes train id; every other id is ignored (255).
GTA5_ID_TO_TRAIN_ID = MappingProxyType({
    7: 0,
    8: 1,
    11: 2,
    12: 3,
    13: 4,
    17: 5,
    19: 6,
    20: 7,
    21: 8,
    22: 9,
    23: 10,
    24: 11,
    25: 12,
    26: 13,
    27: 14,
    28: 15,
    31: 16,
    32: 17,
    33: 18
})


@DATASETS.register_module()
class GTA5Dataset(CheckedSegDataset):
    """GTA5 frames rendered from a video game, labelled with Cityscapes' classes.

    The release has 24,966 1914x1052 frames (``images/NNNNN.png``) and palette PNG labels with
    Cityscapes label ids (``labels/NNNNN.png``); AdaptSegNet and its successors train on all of them.
    ``tools/dataset_converters/gta5.py`` writes the train-id maps next to the labels
    (``GTA5_ID_TO_TRAIN_ID``: road 7 -> 0 ... bicycle 33 -> 18, everything else 255)::

        data/gta5
        ├── images/NNNNN.png
        └── labels/NNNNN.png, NNNNN_labelTrainIds.png   (values 0..18, 255)

    Classes and palette are :class:`CityscapesDataset`'s, so a GTA5-trained model is evaluated on
    Cityscapes directly.
    """
    METAINFO = CityscapesDataset.METAINFO
    EXPECTED_TREE = ('  images/NNNNN.png\n'
                     '  labels/NNNNN_labelTrainIds.png\n'
                     '(labels made by tools/dataset_converters/gta5.py)')

    def __init__(self,
                 img_suffix: str = '.png',
                 seg_map_suffix: str = '_labelTrainIds.png',
                 reduce_zero_label: bool = False,
                 **kwargs) -> None:
        super().__init__(
            img_suffix=img_suffix,
            seg_map_suffix=seg_map_suffix,
            reduce_zero_label=reduce_zero_label,
            **kwargs)
