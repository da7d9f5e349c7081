"""SYNTHIA-RAND-CITYSCAPES (Ros et al., CVPR 2016) with Cityscapes' 19 training classes."""
from types import MappingProxyType

from mmseg.datasets import CityscapesDataset
from mmseg.registry import DATASETS

from .checked_dataset import CheckedSegDataset

#: SYNTHIA class id -> Cityscapes train id for the 16 classes the two share; every other id
#: (void, lanemarking, parking slot, road work, and terrain/truck/train, which the release barely
#: shows) is ignored (255).
SYNTHIA_ID_TO_TRAIN_ID = MappingProxyType({
    3: 0,
    4: 1,
    2: 2,
    21: 3,
    5: 4,
    7: 5,
    15: 6,
    9: 7,
    6: 8,
    1: 10,
    10: 11,
    17: 12,
    8: 13,
    19: 15,
    12: 17,
    11: 18
})
#: The 16 Cityscapes classes of SYNTHIA -> Cityscapes results (no terrain, truck, train).
SYNTHIA_16_CLASSES = tuple(CityscapesDataset.METAINFO['classes'][i]
                           for i in sorted(SYNTHIA_ID_TO_TRAIN_ID.values()))
#: The 13 of them AdaptSegNet reports (also without wall, fence, pole).
SYNTHIA_13_CLASSES = tuple(name for name in SYNTHIA_16_CLASSES if name not in ('wall', 'fence', 'pole'))


@DATASETS.register_module()
class SynthiaDataset(CheckedSegDataset):
    """SYNTHIA-RAND-CITYSCAPES: 9,400 rendered 1280x760 street scenes with Cityscapes-like classes.

    The release holds ``RGB/NNNNNNN.png`` and 16-bit PNG labels ``GT/LABELS/NNNNNNN.png`` whose first
    (red) channel is the SYNTHIA class id. ``tools/dataset_converters/synthia.py`` writes the
    train-id maps next to the labels (``SYNTHIA_ID_TO_TRAIN_ID``: 16 classes; terrain, truck and
    train stay unlabelled)::

        data/synthia
        ├── RGB/NNNNNNN.png
        └── GT/LABELS/NNNNNNN.png, NNNNNNN_labelTrainIds.png   (values 0..18 but 9, 14, 16; 255)

    Classes and palette are :class:`CityscapesDataset`'s (19); report results on Cityscapes over
    ``SYNTHIA_16_CLASSES`` and ``SYNTHIA_13_CLASSES`` with :class:`SubsetIoUMetric`.
    """
    METAINFO = CityscapesDataset.METAINFO
    EXPECTED_TREE = ('  RGB/NNNNNNN.png\n'
                     '  GT/LABELS/NNNNNNN_labelTrainIds.png\n'
                     '(labels made by tools/dataset_converters/synthia.py)')

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
