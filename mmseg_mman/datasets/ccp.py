"""Clothing Co-Parsing (Yang, Luo, Lin, CVPR 2014) on a coarse label set."""
from types import MappingProxyType

from mmseg.registry import DATASETS

from .checked_dataset import CheckedSegDataset

#: Coarse classes of :class:`CCPDataset`.
CCP_COARSE_CLASSES = ('Background', 'Hair', 'Skin', 'UpperClothes', 'LowerClothes', 'Dress', 'Shoes',
                      'Accessories')

_COARSE_GROUPS = {
    'Background': ('null', ),
    'Hair': ('hair', ),
    'Skin': ('skin', ),
    'UpperClothes': ('blazer', 'blouse', 'bra', 'cape', 'cardigan', 'coat', 'hoodie', 'jacket', 'jumper',
                     'shirt', 'suit', 'sweater', 'sweatshirt', 't-shirt', 'top', 'vest'),
    'LowerClothes': ('jeans', 'leggings', 'panties', 'pants', 'shorts', 'skirt', 'stockings', 'tights'),
    'Dress': ('bodysuit', 'dress', 'intimate', 'romper', 'swimwear'),
    'Shoes': ('boots', 'clogs', 'flats', 'heels', 'loafers', 'pumps', 'sandals', 'shoes', 'sneakers', 'socks',
              'wedges'),
    'Accessories': ('accessories', 'bag', 'belt', 'bracelet', 'earrings', 'glasses', 'gloves', 'hat',
                    'necklace', 'purse', 'ring', 'scarf', 'sunglasses', 'tie', 'wallet', 'watch'),
}

#: Every one of the 59 CCP label names (label_list.txt) -> coarse class id.
CCP_LABEL_TO_COARSE = MappingProxyType({
    name: CCP_COARSE_CLASSES.index(coarse)
    for coarse, names in _COARSE_GROUPS.items()
    for name in names
})


@DATASETS.register_module()
class CCPDataset(CheckedSegDataset):
    """Clothing Co-Parsing street-fashion photos, coarse clothing labels.

    The original release has 1,004 pixel-labelled photos (``photos/*.jpg``,
    ``annotations/pixel-level/NNNN.mat`` with a uint8 ``groundtruth`` map
    indexing the 59 names of ``label_list.txt``). CCP has no body parts and
    no left/right, so it is real data for clothing-level parsing rather than
    a benchmark of the MMAN paper. ``tools/dataset_converters/ccp.py`` maps
    the 59 labels to 8 coarse classes and writes::

        data/ccp
        ├── img_dir/{train,val}/NNNN.jpg
        └── ann_dir/{train,val}/NNNN.png   (values 0..7)

    with a seeded 80/20 split (804 photos -> 643 train / 161 val; 1,004 ->
    803 / 201). Mapping (``CCP_LABEL_TO_COARSE``):

    - 0 Background: null
    - 1 Hair: hair
    - 2 Skin: skin
    - 3 UpperClothes: blazer, blouse, bra, cape, cardigan, coat, hoodie,
      jacket, jumper, shirt, suit, sweater, sweatshirt, t-shirt, top, vest
    - 4 LowerClothes: jeans, leggings, panties, pants, shorts, skirt,
      stockings, tights
    - 5 Dress (one-pieces): bodysuit, dress, intimate, romper, swimwear
    - 6 Shoes: boots, clogs, flats, heels, loafers, pumps, sandals, shoes,
      sneakers, socks, wedges (socks go with footwear, as LIP's Socks are
      merged into PPSS shoes)
    - 7 Accessories: accessories, bag, belt, bracelet, earrings, glasses,
      gloves, hat, necklace, purse, ring, scarf, sunglasses, tie, wallet,
      watch

    A suit is labelled on the jacket part in CCP (trousers carry ``pants``),
    hence UpperClothes.
    """
    METAINFO = dict(
        classes=CCP_COARSE_CLASSES,
        palette=[[0, 0, 0], [255, 0, 0], [255, 170, 127], [255, 85, 0], [0, 85, 85], [0, 0, 85],
                 [255, 255, 0], [0, 170, 0]])
    EXPECTED_TREE = ('  img_dir/{train,val}/NNNN.jpg\n'
                     '  ann_dir/{train,val}/NNNN.png\n'
                     '(made by tools/dataset_converters/ccp.py)')
