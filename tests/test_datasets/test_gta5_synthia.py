"""GTA5 and SYNTHIA-RAND-CITYSCAPES: label tables, converters on tiny trees in the release layouts, and the
dataset configs on the converted trees."""
import os
import os.path as osp

import cv2
import numpy as np
import pytest
from mmengine import Config
from mmengine.registry import init_default_scope
from mmseg.datasets import CityscapesDataset
from mmseg.registry import DATASETS
from PIL import Image

from mmseg_mman.datasets import (GTA5_ID_TO_TRAIN_ID, SYNTHIA_13_CLASSES, SYNTHIA_16_CLASSES,
                                 SYNTHIA_ID_TO_TRAIN_ID, map_to_train_ids)
from mmseg_mman.datasets.converters import gta5, synthia
from mmseg_mman.datasets.converters.common import ConversionError

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

CITYSCAPES = CityscapesDataset.METAINFO['classes']
# Cityscapes label ids (= GTA5 ids) of its 19 training classes (cityscapesscripts' labels.py)
CITYSCAPES_LABEL_IDS = {
    'road': 7,
    'sidewalk': 8,
    'building': 11,
    'wall': 12,
    'fence': 13,
    'pole': 17,
    'traffic light': 19,
    'traffic sign': 20,
    'vegetation': 21,
    'terrain': 22,
    'sky': 23,
    'person': 24,
    'rider': 25,
    'car': 26,
    'truck': 27,
    'bus': 28,
    'train': 31,
    'motorcycle': 32,
    'bicycle': 33
}
# SYNTHIA class ids (SYNTHIA-RAND-CITYSCAPES README) of the classes Cityscapes shares
SYNTHIA_IDS = {
    'sky': 1,
    'building': 2,
    'road': 3,
    'sidewalk': 4,
    'fence': 5,
    'vegetation': 6,
    'pole': 7,
    'car': 8,
    'traffic sign': 9,
    'person': 10,
    'bicycle': 11,
    'motorcycle': 12,
    'traffic light': 15,
    'rider': 17,
    'bus': 19,
    'wall': 21
}

# ---------------------------------------------------------------------------------- tables


def test_gta5_table_maps_every_cityscapes_training_class_by_name():
    assert dict(GTA5_ID_TO_TRAIN_ID) == {CITYSCAPES_LABEL_IDS[name]: i for i, name in enumerate(CITYSCAPES)}


def test_synthia_table_maps_its_16_classes_by_name():
    assert dict(SYNTHIA_ID_TO_TRAIN_ID) == {SYNTHIA_IDS[name]: CITYSCAPES.index(name) for name in SYNTHIA_IDS}
    assert set(CITYSCAPES) - set(SYNTHIA_16_CLASSES) == {'terrain', 'truck', 'train'}
    assert set(SYNTHIA_16_CLASSES) - set(SYNTHIA_13_CLASSES) == {'wall', 'fence', 'pole'}
    assert len(SYNTHIA_13_CLASSES) == 13


def test_config_subsets_are_the_package_constants():
    cfg = Config.fromfile(osp.join(REPO, 'configs/_base_/datasets/synthia_to_cityscapes.py'))
    subsets = cfg.val_evaluator.class_subsets
    assert tuple(subsets.mIoU16) == SYNTHIA_16_CLASSES and tuple(subsets.mIoU13) == SYNTHIA_13_CLASSES


def test_unknown_and_out_of_table_ids_are_ignored():
    label = np.array([[7, 33, 0], [34, 65535, 1000]], np.uint16)
    assert map_to_train_ids(label, GTA5_ID_TO_TRAIN_ID).tolist() == [[0, 18, 255], [255, 255, 255]]
    with pytest.raises(ValueError, match='integer label map'):
        map_to_train_ids(np.zeros((2, 2, 3), np.uint8), GTA5_ID_TO_TRAIN_ID)


# ------------------------------------------------------------------------------- converters

GTA5_LABEL = np.array([[7, 8, 11, 0], [26, 33, 34, 255]], np.uint8)
GTA5_TRAIN_IDS = [[0, 1, 2, 255], [13, 18, 255, 255]]
SYNTHIA_LABEL = np.array([[3, 4, 2, 0], [10, 19, 22, 16]], np.uint16)  # 22 lanemarking, 16 terrain
SYNTHIA_TRAIN_IDS = [[0, 1, 2, 255], [11, 15, 255, 255]]


def write_gta5_tree(root, stems=('00001', '00002')):
    os.makedirs(root / 'images')
    os.makedirs(root / 'labels')
    palette = np.random.default_rng(0).integers(0, 256, 768).astype(np.uint8).tolist()
    for i, stem in enumerate(stems):
        cv2.imwrite(str(root / 'images' / f'{stem}.png'), np.full((2, 4, 3), 40 * i, np.uint8))
        label = Image.fromarray(GTA5_LABEL, mode='P')
        label.putpalette(palette)  # the colours must not matter, only the indices
        label.save(root / 'labels' / f'{stem}.png')


def write_synthia_tree(root, stems=('0000000', '0000001')):
    os.makedirs(root / 'RGB')
    os.makedirs(root / 'GT' / 'LABELS')
    for i, stem in enumerate(stems):
        cv2.imwrite(str(root / 'RGB' / f'{stem}.png'), np.full((2, 4, 3), 40 * i, np.uint8))
        instance = np.full_like(SYNTHIA_LABEL, 300 + i)
        bgr = np.stack([instance, instance + 1, SYNTHIA_LABEL], axis=-1)  # class id in red (last in BGR)
        assert cv2.imwrite(str(root / 'GT' / 'LABELS' / f'{stem}.png'), bgr)


def read(path):
    return cv2.imread(str(path), cv2.IMREAD_UNCHANGED)


def test_gta5_converter_writes_train_ids_from_palette_indices(tmp_path):
    write_gta5_tree(tmp_path)
    gta5.main([str(tmp_path)])
    for stem in ('00001', '00002'):
        assert read(tmp_path / 'labels' / f'{stem}_labelTrainIds.png').tolist() == GTA5_TRAIN_IDS
    before = os.stat(tmp_path / 'labels' / '00001_labelTrainIds.png').st_mtime_ns
    gta5.main([str(tmp_path)])  # outputs are not taken as inputs, and unchanged files are not rewritten
    assert os.stat(tmp_path / 'labels' / '00001_labelTrainIds.png').st_mtime_ns == before
    assert sorted(os.listdir(tmp_path / 'labels')) == [
        '00001.png', '00001_labelTrainIds.png', '00002.png', '00002_labelTrainIds.png'
    ]


def test_synthia_converter_reads_the_class_from_the_red_channel_of_16_bit_labels(tmp_path):
    write_synthia_tree(tmp_path)
    synthia.main([str(tmp_path)])
    label = read(tmp_path / 'GT' / 'LABELS' / '0000001_labelTrainIds.png')
    assert label.dtype == np.uint8 and label.tolist() == SYNTHIA_TRAIN_IDS


def test_gta5_converter_rejects_colour_labels_and_unpaired_files(tmp_path):
    write_gta5_tree(tmp_path)
    cv2.imwrite(str(tmp_path / 'labels' / '00002.png'), np.zeros((2, 4, 3), np.uint8))
    with pytest.raises(ConversionError, match=r'00002.png is a RGB image'):
        gta5.main([str(tmp_path)])
    os.remove(tmp_path / 'images' / '00002.png')
    with pytest.raises(ConversionError, match=r'label .*00002.png has no image'):
        gta5.main([str(tmp_path)])


# ------------------------------------------------------------------------ configs on the trees


@pytest.mark.parametrize('source, write_tree', [('gta5', write_gta5_tree), ('synthia', write_synthia_tree)])
def test_source_dataset_of_the_config_reads_the_converted_tree(tmp_path, source, write_tree):
    write_tree(tmp_path)
    dict(gta5=gta5, synthia=synthia)[source].main([str(tmp_path)])
    init_default_scope('mmseg')
    cfg = Config.fromfile(osp.join(REPO, f'configs/_base_/datasets/{source}_to_cityscapes.py'))
    dataset_cfg = cfg.train_dataloader.dataset.source
    dataset_cfg.data_root = str(tmp_path)
    dataset = DATASETS.build(dataset_cfg)
    assert len(dataset) == 2 and dataset.metainfo['classes'] == CITYSCAPES
    sample = dataset[1]['data_samples']
    width, height = cfg.source_scale
    assert sample.gt_sem_seg.data.shape == (1, height, width)  # resized (nearest) to the recipe's size
    assert set(sample.gt_sem_seg.data.unique().tolist()) == \
        set(np.unique(GTA5_TRAIN_IDS if source == 'gta5' else SYNTHIA_TRAIN_IDS).tolist())
