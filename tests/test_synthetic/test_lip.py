import os
import os.path as osp

import cv2
import numpy as np
import pytest
from mmengine.registry import init_default_scope

from mmseg_mman.synthetic.lip import (MATERIAL_INDEX_LUT, MATERIAL_NAMES, LIPLabel, colorize_lip_label,
                                      generate_synthetic_lip)

NUM_TRAIN, NUM_VAL, IMG_SIZE = 24, 8, 48
TORSO_CLASSES = [LIPLabel.UPPER_CLOTHES, LIPLabel.DRESS, LIPLabel.COAT, LIPLabel.JUMPSUITS]


@pytest.fixture(scope='module')
def dataset(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('synthetic_lip'))
    return generate_synthetic_lip(root, num_train=NUM_TRAIN, num_val=NUM_VAL, img_size=IMG_SIZE, seed=0)


def read_labels(seg_dir):
    return [cv2.imread(osp.join(seg_dir, name), cv2.IMREAD_UNCHANGED) for name in sorted(os.listdir(seg_dir))]


def test_layout_and_counts(dataset):
    root = dataset['out_dir']
    for split, num in (('train', NUM_TRAIN), ('val', NUM_VAL)):
        info = dataset[split]
        assert info['num_images'] == num
        assert info['img_dir'] == osp.join(root, f'{split}_images')
        assert info['seg_map_dir'] == osp.join(root, f'{split}_segmentations')
        with open(osp.join(root, f'{split}_id.txt')) as f:
            stems = f.read().splitlines()
        assert len(stems) == len(set(stems)) == num
        assert sorted(os.listdir(info['img_dir'])) == sorted(f'{s}.jpg' for s in stems)
        assert sorted(os.listdir(info['seg_map_dir'])) == sorted(f'{s}.png' for s in stems)


def test_images_and_labels_match(dataset):
    for split in ('train', 'val'):
        info = dataset[split]
        for name in sorted(os.listdir(info['img_dir'])):
            image = cv2.imread(osp.join(info['img_dir'], name), cv2.IMREAD_UNCHANGED)
            label = cv2.imread(osp.join(info['seg_map_dir'], name[:-4] + '.png'), cv2.IMREAD_UNCHANGED)
            assert image.ndim == 3 and image.shape[2] == 3 and image.dtype == np.uint8
            assert label.ndim == 2 and label.dtype == np.uint8
            assert image.shape[:2] == label.shape
            assert label.shape[0] == IMG_SIZE
            assert label.max() <= 19
            assert (label > 0).mean() > 0.05, f'{name}: no person drawn'


def test_all_classes_present_and_counted(dataset):
    present = set()
    for split in ('train', 'val'):
        labels = read_labels(dataset[split]['seg_map_dir'])
        counts = np.zeros(20, int)
        for label in labels:
            counts[np.unique(label)] += 1
            present.update(np.unique(label).tolist())
        assert counts.tolist() == dataset[split]['images_per_class']
    assert present == set(range(20))


def test_deterministic_given_seed(dataset, tmp_path):
    same = generate_synthetic_lip(str(tmp_path / 'same'), num_train=4, num_val=0, img_size=IMG_SIZE, seed=0)
    other = generate_synthetic_lip(str(tmp_path / 'other'), num_train=4, num_val=0, img_size=IMG_SIZE, seed=1)
    for name in sorted(os.listdir(same['train']['seg_map_dir'])):
        ref = open(osp.join(dataset['train']['seg_map_dir'], name), 'rb').read()
        assert open(osp.join(same['train']['seg_map_dir'], name), 'rb').read() == ref
        ref_img = open(osp.join(dataset['train']['img_dir'], name[:-4] + '.jpg'), 'rb').read()
        assert open(osp.join(same['train']['img_dir'], name[:-4] + '.jpg'), 'rb').read() == ref_img
    differing = [
        not np.array_equal(a, b) for a, b in zip(
            read_labels(same['train']['seg_map_dir']), read_labels(other['train']['seg_map_dir']))
    ]
    assert all(differing)


def _fraction_right_of_torso(label, value):
    torso_x = np.nonzero(np.isin(label, TORSO_CLASSES))[1].mean()
    return (np.nonzero(label == value)[1] > torso_x).mean()


@pytest.mark.parametrize('left, right, min_mean', [(LIPLabel.LEFT_ARM, LIPLabel.RIGHT_ARM, 0.95),
                                                   (LIPLabel.LEFT_LEG, LIPLabel.RIGHT_LEG, 0.85),
                                                   (LIPLabel.LEFT_SHOE, LIPLabel.RIGHT_SHOE, 0.85)])
def test_person_left_is_image_right(dataset, left, right, min_mean):
    lefts, rights = [], []
    for label in read_labels(dataset['train']['seg_map_dir']):
        if np.isin(label, TORSO_CLASSES).any() and (label == left).any() and (label == right).any():
            lefts.append(_fraction_right_of_torso(label, left))
            rights.append(_fraction_right_of_torso(label, right))
    assert len(lefts) >= NUM_TRAIN // 2
    assert np.mean(lefts) >= min_mean
    assert np.mean(rights) <= 1 - min_mean


def test_materials_cover_the_person_only():
    assert MATERIAL_INDEX_LUT[LIPLabel.BACKGROUND] == 255
    assert all(MATERIAL_INDEX_LUT[label] < len(MATERIAL_NAMES) for label in list(LIPLabel)[1:])
    # Left/right pairs share a material: only the layout tells them apart.
    for left, right in ((14, 15), (16, 17), (18, 19)):
        assert MATERIAL_INDEX_LUT[left] == MATERIAL_INDEX_LUT[right]


def test_lip_label_order_matches_mmseg():
    from mmseg.datasets import LIPDataset
    mmseg_names = [name.lower().replace('-', '') for name in LIPDataset.METAINFO['classes']]
    assert [label.name.lower().replace('_', '') for label in LIPLabel] == mmseg_names


@pytest.mark.parametrize('split, ann_file', [('train', ''), ('val', 'val_id.txt')])
def test_mmseg_lip_dataset_loads(dataset, split, ann_file):
    from mmseg.datasets import LIPDataset
    init_default_scope('mmseg')
    lip = LIPDataset(
        data_root=dataset['out_dir'],
        ann_file=ann_file,
        data_prefix=dict(img_path=f'{split}_images', seg_map_path=f'{split}_segmentations'),
        pipeline=[dict(type='LoadImageFromFile'),
                  dict(type='LoadAnnotations'),
                  dict(type='PackSegInputs')])
    assert len(lip) == dataset[split]['num_images']
    sample = lip[0]
    gt = sample['data_samples'].gt_sem_seg.data
    assert sample['inputs'].shape[0] == 3
    assert gt.shape == (1, *sample['inputs'].shape[1:])
    assert int(gt.max()) <= 19 and int(gt.max()) > 0


def test_colorize_uses_lip_palette():
    from mmseg.datasets import LIPDataset
    label = np.array([[0, 14], [19, 255]], np.uint8)
    palette = LIPDataset.METAINFO['palette']
    rgb = colorize_lip_label(label)
    assert rgb.shape == (2, 2, 3) and rgb.dtype == np.uint8
    assert rgb[0, 1].tolist() == list(palette[14]) and rgb[1, 0].tolist() == list(palette[19])
    assert rgb[1, 1].tolist() == [255, 255, 255]
    with pytest.raises(ValueError, match=r'\[20\]'):
        colorize_lip_label(np.array([[20]], np.uint8))


@pytest.mark.parametrize('kwargs, match', [(dict(img_size=16), 'img_size'), (dict(num_train=-1), 'num_train'),
                                           (dict(aspect_range=(1.0, 0.5)), 'aspect_range')])
def test_bad_arguments(tmp_path, kwargs, match):
    with pytest.raises(ValueError, match=match):
        generate_synthetic_lip(str(tmp_path), **kwargs)


def test_refuses_non_empty_folder_unless_overwrite(tmp_path):
    root = str(tmp_path)
    generate_synthetic_lip(root, num_train=3, num_val=1, img_size=32)
    with pytest.raises(FileExistsError, match='train_images'):
        generate_synthetic_lip(root, num_train=2, num_val=1, img_size=32)
    result = generate_synthetic_lip(root, num_train=2, num_val=1, img_size=32, overwrite=True)
    assert len(os.listdir(result['train']['img_dir'])) == 2
    assert len(os.listdir(result['train']['seg_map_dir'])) == 2


def test_never_deletes_foreign_files(tmp_path):
    img_dir = tmp_path / 'train_images'
    img_dir.mkdir()
    (img_dir / 'real_photo.jpg').write_bytes(b'not ours')
    with pytest.raises(FileExistsError, match='real_photo.jpg'):
        generate_synthetic_lip(str(tmp_path), num_train=1, num_val=1, img_size=32, overwrite=True)
    assert (img_dir / 'real_photo.jpg').read_bytes() == b'not ours'
