import os.path as osp

import cv2
import numpy as np
import pytest
from mmengine import Config
from mmengine.registry import init_default_scope
from mmseg.registry import DATASETS

from mmseg_mman.datasets import PPSSDataset

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
GREY_LEVELS = np.array([0, 9, 19, 29, 50, 39, 60, 62], dtype=np.uint8)


def _write_frame(video_dir, stem, mask_hw=(32, 16), image_hw=(32, 16)):
    """A pedestrian frame; the mask holds every grey level in row bands."""
    video_dir.mkdir(parents=True, exist_ok=True)
    image = np.full((*image_hw, 3), 120, dtype=np.uint8)
    cv2.imwrite(str(video_dir / f'{stem}.jpg'), image)
    rows = np.arange(mask_hw[0]) * len(GREY_LEVELS) // mask_hw[0]
    mask = np.repeat(GREY_LEVELS[rows][:, None], mask_hw[1], axis=1)
    cv2.imwrite(str(video_dir / f'{stem}_m.png'), mask)


@pytest.fixture
def ppss_root(tmp_path):
    root = tmp_path / 'PPSS'
    _write_frame(root / 'TrainData' / '1', '0001_1')
    _write_frame(root / 'TrainData' / '1', '0001_2')
    # half-size mask: must be resized to the image
    _write_frame(root / 'TrainData' / '002', '0002_1', mask_hw=(16, 8))
    _write_frame(root / 'TestData' / '101', '0101_1')
    return root


def test_splits_select_videos_by_number(ppss_root):
    train = PPSSDataset(data_root=str(ppss_root), videos='train')
    assert [osp.basename(info['img_path']) for info in train] == ['0001_1.jpg', '0001_2.jpg', '0002_1.jpg']
    assert train[0]['seg_map_path'].endswith(osp.join('TrainData', '1', '0001_1_m.png'))
    test = PPSSDataset(data_root=str(ppss_root), videos='test')
    assert len(test) == 1
    custom = PPSSDataset(data_root=str(ppss_root), videos=[2, 101])
    assert [osp.basename(info['img_path']) for info in custom] == ['0002_1.jpg', '0101_1.jpg']


def test_flat_release_layout(tmp_path):
    _write_frame(tmp_path / 'data' / '103', 'x')
    dataset = PPSSDataset(data_root=str(tmp_path / 'data'), videos='test')
    assert len(dataset) == 1


def test_config_test_pipeline_decodes_and_resizes(ppss_root):
    init_default_scope('mmseg')
    cfg = Config.fromfile(osp.join(REPO, 'configs/_base_/datasets/ppss.py'))
    dataset_cfg = cfg.val_dataloader.dataset
    dataset_cfg.update(data_root=str(ppss_root), videos=[2])
    sample = DATASETS.build(dataset_cfg)[0]
    gt = sample['data_samples'].gt_sem_seg.data
    assert tuple(gt.shape) == (1, 32, 16)  # original image size
    assert gt.unique().tolist() == list(range(8))
    # the resize to the shorter side 288 keeps the ratio: 16x32 -> 288x576
    assert tuple(sample['inputs'].shape) == (3, 576, 288)


def test_train_pipeline_yields_crops(ppss_root):
    init_default_scope('mmseg')
    cfg = Config.fromfile(osp.join(REPO, 'configs/_base_/datasets/ppss.py'))
    dataset_cfg = cfg.train_dataloader.dataset
    dataset_cfg.update(data_root=str(ppss_root))
    sample = DATASETS.build(dataset_cfg)[2]
    assert tuple(sample['inputs'].shape) == (3, 256, 256)
    assert set(sample['data_samples'].gt_sem_seg.data.unique().tolist()) <= \
        set(range(8))


def test_missing_root_shows_expected_tree(tmp_path):
    with pytest.raises(FileNotFoundError, match='TrainData/<video>'):
        PPSSDataset(data_root=str(tmp_path / 'nowhere'))


def test_split_without_videos_shows_expected_tree(ppss_root):
    with pytest.raises(FileNotFoundError, match=r'(?s)videos 150..160.*TestData'):
        PPSSDataset(data_root=str(ppss_root), videos=range(150, 161))


def test_image_without_mask_is_named(ppss_root):
    (ppss_root / 'TestData' / '101' / '0101_1_m.png').unlink()
    with pytest.raises(FileNotFoundError, match='0101_1.jpg has no mask'):
        PPSSDataset(data_root=str(ppss_root))


def test_mask_without_image_is_named(ppss_root):
    (ppss_root / 'TestData' / '101' / '0101_1.jpg').unlink()
    with pytest.raises(FileNotFoundError, match='0101_1_m.png has no image'):
        PPSSDataset(data_root=str(ppss_root))


def test_duplicate_video_number_rejected(ppss_root):
    _write_frame(ppss_root / 'TestData' / '1', 'dup')
    with pytest.raises(ValueError, match='video 1 appears twice'):
        PPSSDataset(data_root=str(ppss_root), videos='train')


def test_bad_split_name_and_ann_file(ppss_root):
    with pytest.raises(ValueError, match="unknown PPSS split 'val'"):
        PPSSDataset(data_root=str(ppss_root), videos='val')
    with pytest.raises(ValueError, match='not by ann_file'):
        PPSSDataset(data_root=str(ppss_root), ann_file='test.txt')


def test_lip_to_ppss_config(ppss_root):
    init_default_scope('mmseg')
    cfg = Config.fromfile(osp.join(REPO, 'configs/_base_/datasets/lip_to_ppss.py'))
    assert cfg.train_dataloader.dataset.type == 'CheckedLIPDataset'
    assert cfg.test_dataloader == cfg.val_dataloader
    dataset_cfg = cfg.val_dataloader.dataset
    assert 'data_prefix' not in dataset_cfg  # LIP's settings do not leak
    dataset_cfg.data_root = str(ppss_root)
    dataset = DATASETS.build(dataset_cfg)
    assert len(dataset) == 1  # video 101
    assert tuple(dataset[0]['data_samples'].gt_sem_seg.data.shape) == (1, 32, 16)
    assert [m.type for m in cfg.val_evaluator] == ['LabelMergeIoUMetric', 'IPRMetric']
    tta = cfg.tta_pipeline[1].transforms
    assert [t.type for t in tta[2]] == ['LoadPPSSAnnotations']


def test_files_checked_at_build_but_masks_may_differ_in_size_and_be_grey_rgb(ppss_root):
    # a grey mask saved as three equal channels is read by LoadPPSSAnnotations: accepted
    video = ppss_root / 'TrainData' / '1'
    mask = cv2.imread(str(video / '0001_2_m.png'), cv2.IMREAD_UNCHANGED)
    cv2.imwrite(str(video / '0001_2_m.png'), np.dstack([mask] * 3))
    assert len(PPSSDataset(data_root=str(ppss_root), videos='train')) == 3  # 0002_1's mask is half-size
    # a frame of another extension would be skipped: named
    cv2.imwrite(str(video / '0001_3.png'), np.full((32, 16, 3), 120, dtype=np.uint8))
    with pytest.raises(ValueError, match=r"TrainData/1/0001_3.png has another extension than '.jpg'"):
        PPSSDataset(data_root=str(ppss_root), videos='train')
    assert len(PPSSDataset(data_root=str(ppss_root), videos='test')) == 1  # other videos unaffected
    (video / '0001_1.jpg').write_bytes(b'')
    with pytest.raises(ValueError, match=r'TrainData/1/0001_1.jpg cannot be read as an image'):
        PPSSDataset(data_root=str(ppss_root), videos=[1])
