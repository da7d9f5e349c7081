"""CIHP and ATR: classes, the configs' left/right flip pairs against real reversed labels (CIHP's
release) and against generated mirrored people, the datasets on the converters' layout."""
import os
import os.path as osp

import cv2
import numpy as np
import pytest
from mmengine import Config
from mmengine.dataset import Compose
from mmengine.registry import init_default_scope
from mmseg.registry import DATASETS, TRANSFORMS

from mmseg_mman.datasets import ATR_CLASSES, CIHP_CLASSES, ATRDataset, CIHPDataset, derive_flip_pairs

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = {
    'cihp': osp.join(REPO, 'configs/_base_/datasets/cihp.py'),
    'atr': osp.join(REPO, 'configs/_base_/datasets/atr.py'),
}
CLASSES = {'cihp': CIHP_CLASSES, 'atr': ATR_CLASSES}
REAL_CIHP = osp.join(REPO, '..', 'shared', 'data', 'real_samples', 'cihp')


def config_flip(name: str):
    """The train pipeline's RandomFlip of the dataset config, made to always flip."""
    init_default_scope('mmseg')
    cfg = Config.fromfile(CONFIGS[name])
    (flip, ) = [t for t in cfg.train_pipeline if t.type == 'RandomFlip']
    return TRANSFORMS.build(dict(flip, prob=1.0))


def flip_label(flip, label: np.ndarray) -> np.ndarray:
    results = dict(
        img=np.zeros(label.shape + (3, ), np.uint8), gt_seg_map=label.copy(), seg_fields=['gt_seg_map'])
    return flip(results)['gt_seg_map']


def test_class_orders():
    assert len(CIHP_CLASSES) == 20 and CIHP_CLASSES[10] == 'Torso-skin'
    assert CIHPDataset.METAINFO['classes'] == CIHP_CLASSES and len(CIHPDataset.METAINFO['palette']) == 20
    assert len(ATR_CLASSES) == 18 and ATR_CLASSES[9] == 'Left-shoe' and ATR_CLASSES[17] == 'Scarf'
    assert len(ATRDataset.METAINFO['palette']) == 18
    assert len({tuple(c) for c in ATRDataset.METAINFO['palette']}) == 18


@pytest.mark.parametrize('name', sorted(CONFIGS))
def test_config_pairs_are_the_left_right_names_of_the_classes(name):
    cfg = Config.fromfile(CONFIGS[name])
    assert sorted(map(tuple, cfg.flip_pairs)) == derive_flip_pairs(CLASSES[name])
    (flip, ) = [t for t in cfg.train_pipeline if t.type == 'RandomFlip']
    assert sorted(map(tuple, flip.swap_seg_labels)) == sorted(map(tuple, cfg.flip_pairs))
    assert cfg.num_classes == len(CLASSES[name])


@pytest.mark.skipif(not osp.isdir(REAL_CIHP), reason=f'real CIHP samples not at {REAL_CIHP}')
def test_cihp_flip_of_real_labels_equals_the_release_reversed_labels():
    """labels_rev/ holds the release's labels of the mirrored images: the config's flip (image
    mirrored, left/right ids swapped) of each label must give exactly that."""
    flip = config_flip('cihp')
    names = sorted(n for n in os.listdir(osp.join(REAL_CIHP, 'labels')) if n.endswith('.png'))
    assert len(names) == 5
    swapped_any = False
    for name in names:
        label = cv2.imread(osp.join(REAL_CIHP, 'labels', name), cv2.IMREAD_UNCHANGED)
        reversed_label = cv2.imread(osp.join(REAL_CIHP, 'labels_rev', name), cv2.IMREAD_UNCHANGED)
        flipped = flip_label(flip, label)
        assert np.array_equal(flipped, reversed_label), name
        swapped_any |= not np.array_equal(flipped, label[:, ::-1])
    assert swapped_any  # the samples do hold left/right classes


def _side_rectangles(rng, height, width, count):
    """Random (y0, y1, x0, x1) boxes wholly inside the left or the right half of the image."""
    boxes = []
    for _ in range(count):
        y0 = int(rng.integers(0, height - 4))
        x0 = int(rng.integers(0, width // 2 - 4))
        box = (y0, int(rng.integers(y0 + 2, height)), x0, int(rng.integers(x0 + 2, width // 2)))
        boxes.append(box if rng.random() < 0.5 else (box[0], box[1], width - box[3], width - box[2]))
    return boxes


def _render(shape, boxes, parts, classes):
    """A person facing the camera: a body part on the image's right half is the person's left one
    (as in CIHP's, LIP's and ATR's labels), so its id follows from the class names."""
    label = np.zeros(shape, np.uint8)
    width = shape[1]
    for (y0, y1, x0, x1), part in zip(boxes, parts):
        side = 'Left' if x0 >= width // 2 else 'Right'
        label[y0:y1, x0:x1] = classes.index(f'{side}-{part}')
    return label


@pytest.mark.parametrize('name, parts', [('cihp', ('arm', 'leg', 'shoe')), ('atr', ('arm', 'leg', 'shoe'))])
def test_flip_of_generated_people_equals_the_mirrored_peoples_labels(name, parts):
    """The property of the real-data test on generated data: flipping the label of a person gives
    the label of the mirrored person (whose parts swap sides, so their ids follow the names)."""
    flip = config_flip(name)
    rng = np.random.default_rng(0)
    height, width = 40, 64
    for _ in range(10):
        boxes = _side_rectangles(rng, height, width, 6)
        part_of = [parts[int(i)] for i in rng.integers(0, len(parts), len(boxes))]
        mirrored = [(y0, y1, width - x1, width - x0) for y0, y1, x0, x1 in boxes]
        label = _render((height, width), boxes, part_of, CLASSES[name])
        assert np.array_equal(
            flip_label(flip, label), _render((height, width), mirrored, part_of, CLASSES[name]))


def _write_tree(root, splits, label_value):
    for split in splits:
        for kind in ('img_dir', 'ann_dir'):
            (root / kind / split).mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(root / 'img_dir' / split / '0000001.jpg'), np.full((32, 24, 3), 90, np.uint8))
        label = np.zeros((32, 24), np.uint8)
        label[8:24, 4:20] = label_value
        cv2.imwrite(str(root / 'ann_dir' / split / '0000001.png'), label)


@pytest.mark.parametrize('name, splits, top_class', [('cihp', ('train', 'val'), 19),
                                                     ('atr', ('train', 'val', 'test'), 17)])
def test_config_datasets_load_the_converter_layout(tmp_path, name, splits, top_class):
    _write_tree(tmp_path, splits, top_class)
    cfg = Config.fromfile(CONFIGS[name])
    init_default_scope('mmseg')
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        dataset = DATASETS.build(dict(cfg[loader].dataset, data_root=str(tmp_path)))
        values = set(dataset[0]['data_samples'].gt_sem_seg.data.unique().tolist())
        # the top class id loads (CIHP's, Right-shoe, may be flipped to Left-shoe in training)
        assert values - {0} in ({top_class}, {top_class - 1} if loader == 'train_dataloader' else None)
    # one class more than the dataset has: the file is named
    (tmp_path / 'ann_dir' / 'val' / '0000001.png').unlink()
    cv2.imwrite(str(tmp_path / 'ann_dir' / 'val' / '0000001.png'), np.full((32, 24), top_class + 1, np.uint8))
    dataset = DATASETS.build(dict(cfg.val_dataloader.dataset, data_root=str(tmp_path)))
    with pytest.raises(ValueError, match=rf'0000001.png: label value\(s\) \[{top_class + 1}\]'):
        Compose(cfg.test_pipeline)(dataset.get_data_info(0))
