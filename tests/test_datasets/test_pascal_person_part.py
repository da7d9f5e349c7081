import os.path as osp

import cv2
import numpy as np
import pytest
from mmengine import Config
from mmengine.registry import init_default_scope
from mmseg.registry import DATASETS

from mmseg_mman.datasets import PascalPersonPartDataset

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(REPO, 'configs/_base_/datasets/pascal_person_part.py')


def _write_pair(root, split, stem, label_value=3):
    for kind in ('img_dir', 'ann_dir'):
        (root / kind / split).mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(root / 'img_dir' / split / f'{stem}.jpg'), np.full((24, 40, 3), 90, dtype=np.uint8))
    label = np.zeros((24, 40), dtype=np.uint8)
    label[4:20, 10:30] = label_value
    cv2.imwrite(str(root / 'ann_dir' / split / f'{stem}.png'), label)


@pytest.fixture
def ppp_root(tmp_path):
    root = tmp_path / 'pascal_person_part'
    _write_pair(root, 'train', '2008_000008')
    _write_pair(root, 'train', '2008_000023', label_value=6)
    _write_pair(root, 'val', '2008_000003')
    return root


def _dataset(root, split='train', **kwargs):
    return PascalPersonPartDataset(
        data_root=str(root),
        data_prefix=dict(img_path=f'img_dir/{split}', seg_map_path=f'ann_dir/{split}'),
        **kwargs)


def test_lists_pairs(ppp_root):
    dataset = _dataset(ppp_root)
    assert len(dataset) == 2
    assert dataset.metainfo['classes'][6] == 'Lower-legs'
    assert len(dataset.metainfo['palette']) == 7


def test_missing_split_folder_shows_expected_tree(ppp_root):
    with pytest.raises(FileNotFoundError, match=r"(?s)img_dir/test' not found.*ann_dir/\{train"):
        _dataset(ppp_root, split='test')


def test_image_without_label_is_named(ppp_root):
    (ppp_root / 'ann_dir' / 'train' / '2008_000023.png').unlink()
    with pytest.raises(FileNotFoundError, match=r'2008_000023.jpg has no label'):
        _dataset(ppp_root)


def test_label_without_image_is_named(ppp_root):
    (ppp_root / 'img_dir' / 'train' / '2008_000023.jpg').unlink()
    with pytest.raises(FileNotFoundError, match=r'2008_000023.png has no image'):
        _dataset(ppp_root)


def test_ann_file_entries_checked(ppp_root):
    ann_file = ppp_root / 'train.txt'
    ann_file.write_text('2008_000008\n')
    assert len(_dataset(ppp_root, ann_file=str(ann_file))) == 1
    ann_file.write_text('2008_000008\n2009_999999\n')
    with pytest.raises(FileNotFoundError, match=r'2009_999999.jpg listed in .*train.txt'):
        _dataset(ppp_root, ann_file=str(ann_file))
    with pytest.raises(FileNotFoundError, match='ann_file'):
        _dataset(ppp_root, ann_file=str(ppp_root / 'missing.txt'))


def test_config_pipelines(ppp_root):
    init_default_scope('mmseg')
    cfg = Config.fromfile(CONFIG)
    cfg.train_dataloader.dataset.data_root = str(ppp_root)
    cfg.val_dataloader.dataset.data_root = str(ppp_root)
    train_sample = DATASETS.build(cfg.train_dataloader.dataset)[0]
    assert tuple(train_sample['inputs'].shape) == (3, 256, 256)
    val_sample = DATASETS.build(cfg.val_dataloader.dataset)[0]
    assert tuple(val_sample['inputs'].shape) == (3, 288, 480)
    assert tuple(val_sample['data_samples'].gt_sem_seg.data.shape) == (1, 24, 40)


def test_config_rejects_label_values_beyond_the_classes(ppp_root):
    _write_pair(ppp_root, 'val', '2008_000003', label_value=7)
    init_default_scope('mmseg')
    cfg = Config.fromfile(CONFIG)
    cfg.val_dataloader.dataset.data_root = str(ppp_root)
    dataset = DATASETS.build(cfg.val_dataloader.dataset)
    with pytest.raises(ValueError, match=r'2008_000003.png: label value.*\[7\]'):
        dataset[0]
