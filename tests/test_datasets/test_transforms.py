import cv2
import numpy as np
import pytest

from mmseg_mman.datasets.transforms import CheckSegMapValues, LoadPPSSAnnotations


def _results_for_mask(tmp_path, mask: np.ndarray, image_hw=None, **extra):
    path = str(tmp_path / 'frame_m.png')
    cv2.imwrite(path, mask)
    return dict(
        seg_map_path=path,
        ori_shape=image_hw or mask.shape[:2],
        seg_fields=[],
        reduce_zero_label=False,
        **extra)


# ---------------------------------------------------------- CheckSegMapValues
@pytest.mark.parametrize('dtype', [np.uint8, np.int64])
def test_check_seg_map_values_accepts_class_ids_and_ignore(dtype):
    results = dict(gt_seg_map=np.array([[0, 6], [255, 3]], dtype=dtype))
    assert CheckSegMapValues(num_classes=7)(results) is results


@pytest.mark.parametrize('dtype', [np.uint8, np.int64])
def test_check_seg_map_values_names_file_and_values(dtype):
    results = dict(gt_seg_map=np.array([[0, 7], [9, 255]], dtype=dtype), seg_map_path='ann_dir/val/x.png')
    with pytest.raises(ValueError, match=r'ann_dir/val/x.png.*\[7, 9\]'):
        CheckSegMapValues(num_classes=7)(results)


def test_check_seg_map_values_needs_a_loaded_map():
    with pytest.raises(KeyError, match='after the annotation loader'):
        CheckSegMapValues(num_classes=7)(dict(img_path='a.jpg', seg_map_path='a.png'))


def test_check_seg_map_values_passes_images_without_annotation_through():
    results = dict(img_path='a.jpg')
    assert CheckSegMapValues(num_classes=7)(results) is results


# -------------------------------------------------------- LoadPPSSAnnotations
GREY = np.array([[0, 9, 19, 29], [50, 39, 60, 62]], dtype=np.uint8)


def test_ppss_grey_levels_decoded(tmp_path):
    results = LoadPPSSAnnotations()(_results_for_mask(tmp_path, GREY))
    assert results['gt_seg_map'].dtype == np.uint8
    assert results['gt_seg_map'].tolist() == [[0, 1, 2, 3], [4, 5, 6, 7]]
    assert results['seg_fields'] == ['gt_seg_map']


def test_ppss_mask_resized_to_image_with_nearest(tmp_path):
    # a 2x4 mask for a 4x8 image: every label pixel becomes a 2x2 block
    results = LoadPPSSAnnotations()(_results_for_mask(tmp_path, GREY, image_hw=(4, 8)))
    expected = np.kron([[0, 1, 2, 3], [4, 5, 6, 7]], np.ones((2, 2)))
    assert results['gt_seg_map'].tolist() == expected.tolist()


def test_ppss_grey_as_bgr_mask_accepted(tmp_path):
    results = LoadPPSSAnnotations()(_results_for_mask(tmp_path, np.dstack([GREY] * 3)))
    assert results['gt_seg_map'].tolist() == [[0, 1, 2, 3], [4, 5, 6, 7]]


def test_ppss_colour_mask_rejected(tmp_path):
    colour = np.dstack([GREY, GREY, np.zeros_like(GREY)])
    with pytest.raises(ValueError, match='frame_m.png.*colour'):
        LoadPPSSAnnotations()(_results_for_mask(tmp_path, colour))


def test_ppss_unknown_grey_level_names_file_and_value(tmp_path):
    mask = GREY.copy()
    mask[0, 0] = 10
    with pytest.raises(ValueError, match=r'frame_m.png: grey level\(s\) \[10\]'):
        LoadPPSSAnnotations()(_results_for_mask(tmp_path, mask))


def test_ppss_label_map_applied_after_decoding(tmp_path):
    # custom classes: keep Background, Hair; everything else ignored
    label_map = {0: 0, 1: 1, **{i: 255 for i in range(2, 8)}}
    results = LoadPPSSAnnotations()(_results_for_mask(tmp_path, GREY, label_map=label_map))
    assert results['gt_seg_map'].tolist() == [[0, 1, 255, 255], [255, 255, 255, 255]]


def test_ppss_loader_needs_the_image_first(tmp_path):
    results = _results_for_mask(tmp_path, GREY)
    del results['ori_shape']
    with pytest.raises(KeyError, match='LoadImageFromFile before it'):
        LoadPPSSAnnotations()(results)


def test_ppss_loader_refuses_reduce_zero_label(tmp_path):
    results = _results_for_mask(tmp_path, GREY)
    results['reduce_zero_label'] = True
    with pytest.raises(ValueError, match='reduce_zero_label'):
        LoadPPSSAnnotations()(results)
