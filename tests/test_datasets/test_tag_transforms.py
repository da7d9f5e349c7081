import os.path as osp

import cv2
import numpy as np
import pytest
import scipy.io
from mmcv.transforms import Compose
from mmseg.registry import TRANSFORMS


def write_sample(folder, stem='0001', size=(12, 10), labels=(0, 2, 5, 255)):
    """An image and a label map holding ``labels`` in horizontal bands."""
    height, width = size
    image = np.random.default_rng(0).integers(0, 256, (height, width, 3), dtype=np.uint8)
    label = np.zeros(size, np.uint8)
    for i, value in enumerate(labels):
        label[i * height // len(labels):] = value
    img_path, seg_path = osp.join(folder, f'{stem}.png'), osp.join(folder, f'{stem}_seg.png')
    cv2.imwrite(img_path, image)
    cv2.imwrite(seg_path, label)
    return dict(img_path=img_path, seg_map_path=seg_path, reduce_zero_label=False, seg_fields=[])


def build(cfg):
    return TRANSFORMS.build(cfg)


def test_tag_file(tmp_path):
    tag_file = tmp_path / 'tags.txt'
    tag_file.write_text('0001 3 1\n\n0002\n0003 0 2\n')
    load = build(dict(type='LoadTagsFromFile', tag_file=str(tag_file), num_classes=4))
    assert load(dict(img_path='x/0001.jpg'))['tags'] == (1, 3)
    assert load(dict(img_path='x/0002.jpg'))['tags'] == ()  # an image without foreground
    assert load(dict(img_path='x/0003.jpg'))['tags'] == (2, )  # the background 0 is no tag
    with pytest.raises(KeyError, match=r"x/0004.jpg: no line for '0004' in the tag file .*tags.txt"):
        load(dict(img_path='x/0004.jpg'))


@pytest.mark.parametrize('text, match', [
    ('0001 1\n0002 4\n', r'tags.txt:2 \(0002\): tag id\(s\) \[4\] are outside the vocabulary 0..3'),
    ('0001 1\n0001 2\n', r"tags.txt:2: '0001' is listed twice \(first on line 1\)"),
    ('0001 a\n', r"tags.txt:1: tag\(s\) \['a'\] of '0001' are not integer"),
    ('0001 -1\n', r'\[-1\] are outside'),
])
def test_bad_tag_files_name_the_line_and_value(tmp_path, text, match):
    tag_file = tmp_path / 'tags.txt'
    tag_file.write_text(text)
    with pytest.raises(ValueError, match=match):
        build(dict(type='LoadTagsFromFile', tag_file=str(tag_file), num_classes=4))


@pytest.fixture
def ccp_tags(tmp_path):
    """label_list.txt, image-level tags of 1005-1007 and pixel-level maps of 0001-0003 (some of them bad)."""
    label_list = tmp_path / 'label_list.txt'
    label_list.write_text('0\tnull\n1\tbelt\n2\tdress\n3\thair\n4\tboots\n')
    tag_dir, pixel_dir = tmp_path / 'image-level', tmp_path / 'pixel-level'
    tag_dir.mkdir()
    pixel_dir.mkdir()
    scipy.io.savemat(str(tag_dir / '1005.mat'), dict(tags=np.array([[0, 1, 2, 4]], np.uint8)))
    scipy.io.savemat(str(tag_dir / '1006.mat'), dict(tags=np.array([[0, 9]], np.uint8)))
    scipy.io.savemat(str(tag_dir / '1007.mat'), dict(other=np.array([[0]])))
    scipy.io.savemat(
        str(pixel_dir / '0001.mat'), dict(groundtruth=np.array([[0, 3, 3], [4, 4, 0]], np.uint8)))
    scipy.io.savemat(str(pixel_dir / '0002.mat'), dict(groundtruth=np.array([[0, 7]], np.uint8)))
    scipy.io.savemat(str(pixel_dir / '0003.mat'), dict(tags=np.array([[0]], np.uint8)))
    return dict(LoadCCPTags=str(tag_dir), LoadCCPPixelTags=str(pixel_dir)), str(label_list)


def test_ccp_tags_coarse_and_fine(ccp_tags):
    tag_dirs, label_list = ccp_tags
    coarse = build(dict(type='LoadCCPTags', tag_dir=tag_dirs['LoadCCPTags'], label_list=label_list))
    # belt -> Accessories 7, dress -> Dress 5, boots -> Shoes 6; null is the background.
    assert coarse(dict(img_path='photos/1005.jpg'))['tags'] == (5, 6, 7)
    assert coarse.num_classes == 8
    fine = build(
        dict(type='LoadCCPTags', tag_dir=tag_dirs['LoadCCPTags'], label_list=label_list, vocabulary='fine'))
    assert fine(dict(img_path='photos/1005.jpg'))['tags'] == (1, 2, 4)


def test_ccp_pixel_tags_are_the_labels_of_the_groundtruth_map(ccp_tags):
    tag_dirs, label_list = ccp_tags
    tag_dir = tag_dirs['LoadCCPPixelTags']
    fine = build(dict(type='LoadCCPPixelTags', tag_dir=tag_dir, label_list=label_list, vocabulary='fine'))
    results = fine(dict(img_path='img_dir/val/0001.jpg'))
    # hair 3 and boots 4; the map itself never enters the sample
    assert results['tags'] == (3, 4) and 'gt_seg_map' not in results
    coarse = build(dict(type='LoadCCPPixelTags', tag_dir=tag_dir, label_list=label_list))
    assert coarse(dict(img_path='0001.jpg'))['tags'] == (1, 6)  # Hair, Shoes


@pytest.mark.parametrize('transform, stem, error, match', [
    ('LoadCCPTags', '1006', ValueError, r'1006.mat: tag\(s\) \[9\] are not indices of .*label_list.txt'),
    ('LoadCCPTags', '1007', KeyError, r'1007.mat has no variable `tags`'),
    ('LoadCCPTags', '1008', FileNotFoundError, r'no image-level tags .*1008.mat'),
    ('LoadCCPPixelTags', '0002', ValueError, r'0002.mat: tag\(s\) \[7\] are not indices of .*label_list.txt'),
    ('LoadCCPPixelTags', '0003', RuntimeError, r'0003.mat has no variable `groundtruth`'),
    ('LoadCCPPixelTags', '0004', FileNotFoundError, r'no pixel-level annotation .*0004.mat'),
])
def test_ccp_tags_bad_input(ccp_tags, transform, stem, error, match):
    tag_dirs, label_list = ccp_tags
    load = build(dict(type=transform, tag_dir=tag_dirs[transform], label_list=label_list, vocabulary='fine'))
    with pytest.raises(error, match=match):
        load(dict(img_path=f'photos/{stem}.jpg'))


def test_ccp_tags_unknown_vocabulary(ccp_tags):
    tag_dirs, label_list = ccp_tags
    with pytest.raises(ValueError, match="vocabulary='medium'"):
        build(
            dict(
                type='LoadCCPTags',
                tag_dir=tag_dirs['LoadCCPTags'],
                label_list=label_list,
                vocabulary='medium'))


def training_pipeline(num_classes=6):
    return Compose([
        dict(type='LoadImageFromFile'),
        dict(type='LoadAnnotations'),
        dict(type='TagsFromSegMap', num_classes=num_classes),
        dict(type='RandomFlip', prob=1.0),
        dict(type='PackTagInputs', allow_seg_map=False),
    ])


def test_tags_from_mask_remove_every_pixel_label(tmp_path):
    results = write_sample(str(tmp_path))
    label = cv2.imread(results['seg_map_path'], cv2.IMREAD_UNCHANGED)
    packed = training_pipeline()(results)
    sample = packed['data_samples']
    assert sample.metainfo['tags'] == (2, 5)
    # Nothing pixel-level is left: no data field, no path to the map, no array anywhere in the metainfo.
    assert list(sample.keys()) == []
    assert 'seg_map_path' not in sample.metainfo
    assert not any(
        isinstance(value, np.ndarray) and value.shape == label.shape for value in sample.metainfo.values())
    assert tuple(packed['inputs'].shape) == (3, 12, 10)


def test_tags_from_mask_kept_for_scoring_and_bad_values(tmp_path):
    results = write_sample(str(tmp_path))
    pipeline = Compose([
        dict(type='LoadImageFromFile'),
        dict(type='LoadAnnotations'),
        dict(type='TagsFromSegMap', num_classes=6, remove_seg_map=False),
        dict(type='PackTagInputs'),
    ])
    sample = pipeline(dict(results))['data_samples']
    assert sample.metainfo['tags'] == (2, 5) and sample.gt_sem_seg.data.shape == (1, 12, 10)
    with pytest.raises(ValueError, match=r'0001_seg.png: tag id\(s\) \[5\] are outside the vocabulary 0..4'):
        training_pipeline(num_classes=5)(dict(results))


def test_pack_refuses_missing_tags_and_label_maps_in_tag_only_pipelines(tmp_path):
    results = write_sample(str(tmp_path))
    no_tags = Compose([dict(type='LoadImageFromFile'), dict(type='PackTagInputs')])
    with pytest.raises(KeyError, match=r'0001.png: PackTagInputs found no `tags`'):
        no_tags(dict(results))
    leaky = Compose([
        dict(type='LoadImageFromFile'),
        dict(type='LoadAnnotations'),
        dict(type='TagsFromSegMap', num_classes=6, remove_seg_map=False),
        dict(type='PackTagInputs', allow_seg_map=False)
    ])
    with pytest.raises(ValueError, match='a label map reached a tag-only pipeline'):
        leaky(dict(results))


def test_saliency_map_loaded_resized_and_packed(tmp_path):
    results = write_sample(str(tmp_path))
    saliency_dir = tmp_path / 'saliency'
    saliency_dir.mkdir()
    cv2.imwrite(str(saliency_dir / '0001.png'), np.full((6, 5), 255, np.uint8))  # half the image's size
    pipeline = Compose([
        dict(type='LoadImageFromFile'),
        dict(type='Resize', scale=(20, 24), keep_ratio=False),
        dict(type='LoadSaliencyMap', saliency_dir=str(saliency_dir)),
        dict(type='LoadAnnotations'),
        dict(type='TagsFromSegMap', num_classes=6),
        dict(type='PackTagInputs'),
    ])
    sample = pipeline(dict(results))['data_samples']
    assert sample.gt_saliency.data.shape == (1, 12, 10)  # the original size, not the resized one
    assert sample.gt_saliency.data.eq(1.0).all()


def test_saliency_map_bad_input(tmp_path):
    results = write_sample(str(tmp_path))
    load = Compose(
        [dict(type='LoadImageFromFile'),
         dict(type='LoadSaliencyMap', saliency_dir=str(tmp_path / 's'))])
    with pytest.raises(FileNotFoundError, match=r'0001.png: no saliency map .*s/0001.png'):
        load(dict(results))
    (tmp_path / 's').mkdir()
    cv2.imwrite(str(tmp_path / 's' / '0001.png'), np.zeros((4, 4, 3), np.uint8))
    with pytest.raises(ValueError, match=r's/0001.png: a saliency map must be a single-channel'):
        load(dict(results))
    (tmp_path / 's' / '0001.png').write_bytes(b'not a png')
    with pytest.raises(ValueError, match='got unreadable'):
        load(dict(results))
