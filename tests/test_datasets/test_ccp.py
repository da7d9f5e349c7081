import os.path as osp

import cv2
import numpy as np
from mmengine import Config
from mmengine.registry import init_default_scope
from mmseg.registry import DATASETS

from mmseg_mman.datasets import CCP_COARSE_CLASSES, CCP_LABEL_TO_COARSE, CCPDataset

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

# label_list.txt of the Clothing Co-Parsing release, in index order
CCP_LABEL_NAMES = ('null accessories bag belt blazer blouse bodysuit boots bra bracelet cape '
                   'cardigan clogs coat dress earrings flats glasses gloves hair hat heels '
                   'hoodie intimate jacket jeans jumper leggings loafers necklace panties '
                   'pants pumps purse ring romper sandals scarf shirt shoes shorts skin '
                   'skirt sneakers socks stockings suit sunglasses sweater sweatshirt '
                   'swimwear t-shirt tie tights top vest wallet watch wedges').split()


def test_every_ccp_label_has_a_coarse_class():
    assert len(CCP_LABEL_NAMES) == 59
    assert set(CCP_LABEL_TO_COARSE) == set(CCP_LABEL_NAMES)
    assert set(CCP_LABEL_TO_COARSE.values()) == set(range(len(CCP_COARSE_CLASSES)))


def test_coarse_table_spot_checks():
    name_of = dict(enumerate(CCP_COARSE_CLASSES))
    expected = {
        'null': 'Background',
        'hair': 'Hair',
        'skin': 'Skin',
        't-shirt': 'UpperClothes',
        'jeans': 'LowerClothes',
        'romper': 'Dress',
        'sneakers': 'Shoes',
        'socks': 'Shoes',
        'sunglasses': 'Accessories',
    }
    for fine, coarse in expected.items():
        assert name_of[CCP_LABEL_TO_COARSE[fine]] == coarse


def test_config_builds_on_converted_layout(tmp_path):
    for kind in ('img_dir', 'ann_dir'):
        (tmp_path / kind / 'val').mkdir(parents=True)
    cv2.imwrite(str(tmp_path / 'img_dir' / 'val' / '0001.jpg'), np.full((60, 40, 3), 200, dtype=np.uint8))
    label = np.arange(8, dtype=np.uint8).repeat(5 * 40).reshape(40, 40)
    label = np.vstack([label, np.zeros((20, 40), np.uint8)])
    cv2.imwrite(str(tmp_path / 'ann_dir' / 'val' / '0001.png'), label)
    init_default_scope('mmseg')
    cfg = Config.fromfile(osp.join(REPO, 'configs/_base_/datasets/ccp.py'))
    cfg.val_dataloader.dataset.data_root = str(tmp_path)
    dataset = DATASETS.build(cfg.val_dataloader.dataset)
    assert isinstance(dataset, CCPDataset)
    sample = dataset[0]
    assert tuple(sample['inputs'].shape) == (3, 432, 288)
    assert sample['data_samples'].gt_sem_seg.data.unique().tolist() == list(range(8))
