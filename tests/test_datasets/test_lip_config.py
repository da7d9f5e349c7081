"""configs/_base_/datasets/lip.py on a tiny tree in mmseg's LIP layout."""
import os.path as osp

import cv2
import numpy as np
import pytest
from mmengine import Config
from mmengine.dataset import Compose
from mmengine.registry import init_default_scope
from mmseg.registry import DATASETS, METRICS

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(REPO, 'configs/_base_/datasets/lip.py')


@pytest.fixture
def lip_root(tmp_path):
    for folder in ('train_images', 'train_segmentations', 'val_images', 'val_segmentations'):
        (tmp_path / folder).mkdir()
    # left half "Left-arm" (14), right half "Right-arm" (15)
    label = np.zeros((48, 32), dtype=np.uint8)
    label[:, :16], label[:, 16:] = 14, 15
    image = np.zeros((48, 32, 3), dtype=np.uint8)
    image[:, :16] = 255  # bright left half, to follow the flip
    cv2.imwrite(str(tmp_path / 'train_images' / 'a.jpg'), image)
    cv2.imwrite(str(tmp_path / 'train_segmentations' / 'a.png'), label)
    # a grayscale JPEG, as some LIP images are
    cv2.imwrite(str(tmp_path / 'val_images' / 'g.jpg'), np.full((40, 24), 128, dtype=np.uint8))
    cv2.imwrite(str(tmp_path / 'val_segmentations' / 'g.png'), np.full((40, 24), 13, dtype=np.uint8))
    return tmp_path


@pytest.fixture
def cfg(lip_root):
    init_default_scope('mmseg')
    cfg = Config.fromfile(CONFIG)
    cfg.train_dataloader.dataset.data_root = str(lip_root)
    cfg.val_dataloader.dataset.data_root = str(lip_root)
    return cfg


def test_recipe_values(cfg):
    assert cfg.train_dataloader.batch_size == 1
    # finite shuffled epochs: the MMAN schedules are epoch-based
    assert cfg.train_dataloader.sampler == dict(type='DefaultSampler', shuffle=True)
    assert cfg.val_dataloader.batch_size == 1
    assert cfg.crop_size == (256, 256)
    resize = [t for t in cfg.train_pipeline if t.type == 'ResizeShortestEdge'][0]
    assert resize.scale == 288
    assert cfg.train_dataloader.dataset.pipeline == cfg.train_pipeline
    flip = [t for t in cfg.train_pipeline if t.type == 'RandomFlip'][0]
    assert flip.prob == 0.5
    assert [tuple(p) for p in flip.swap_seg_labels] == [(14, 15), (16, 17), (18, 19)]
    assert not any(t.type == 'PhotoMetricDistortion' for t in cfg.train_pipeline)


def test_grayscale_jpeg_loaded_as_three_channels(cfg):
    dataset = DATASETS.build(cfg.val_dataloader.dataset)
    sample = dataset[0]
    assert tuple(sample['inputs'].shape) == (3, 480, 288)
    assert tuple(sample['data_samples'].gt_sem_seg.data.shape) == (1, 40, 24)


def test_train_flip_swaps_left_and_right_labels(cfg):
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    seen = set()
    for _ in range(30):
        sample = dataset[0]
        flipped = sample['data_samples'].flip
        seen.add(flipped)
        gt = sample['data_samples'].gt_sem_seg.data[0]
        assert tuple(sample['inputs'].shape) == (3, 256, 256)
        bright = sample['inputs'][0].float() > 127  # the original left half
        # mirrored, the original Left-arm becomes the Right-arm
        assert gt[bright].unique().tolist() == [15 if flipped else 14]
        # so Left-arm is always on the image's left side
        assert gt[:, 0].unique().tolist() == [14]
        assert gt[:, -1].unique().tolist() == [15]
    assert seen == {False, True}


def test_tta_pipeline_scales_and_flips(cfg, lip_root):
    pipeline = Compose(cfg.tta_pipeline)
    results = pipeline(
        dict(
            img_path=str(lip_root / 'val_images' / 'g.jpg'),
            seg_map_path=str(lip_root / 'val_segmentations' / 'g.png'),
            reduce_zero_label=False,
            seg_fields=[]))
    widths = [inputs.shape[-1] for inputs in results['inputs']]
    assert widths == [230, 230, 288, 288, 346, 346]
    assert [s.flip for s in results['data_samples']] == [False, True] * 3
    assert all(tuple(s.gt_sem_seg.data.shape) == (1, 40, 24) for s in results['data_samples'])


def test_unreadable_image_is_named(cfg, lip_root):
    (lip_root / 'val_images' / 'g.jpg').write_bytes(b'not a jpeg')
    with pytest.raises(ValueError, match=r'val_images/g.jpg cannot be read as an image'):
        DATASETS.build(cfg.val_dataloader.dataset)
    # without the header checks, it is named when it is loaded
    dataset = DATASETS.build(dict(cfg.val_dataloader.dataset, check_files=False))
    with pytest.raises(Exception, match='g.jpg'):
        dataset[0]


def test_evaluator_metrics_build_with_distinct_names(cfg):
    metrics = [METRICS.build(metric) for metric in cfg.val_evaluator]
    assert [type(m).__name__ for m in metrics] == ['IoUMetric', 'LowResIoUMetric', 'IPRMetric']
