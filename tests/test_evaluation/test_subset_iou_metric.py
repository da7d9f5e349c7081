import numpy as np
import pytest
import torch
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from mmseg_mman.evaluation.metrics import SubsetIoUMetric

META = dict(classes=('a', 'b', 'c', 'd'))


def evaluate(metric, pairs):
    metric.dataset_meta = META
    for gt, pred in pairs:
        sample = SegDataSample()
        sample.gt_sem_seg = PixelData(data=torch.tensor(gt)[None])
        sample.pred_sem_seg = PixelData(data=torch.tensor(pred)[None])
        metric.process({}, [sample.to_dict()])
    return metric.evaluate(len(pairs))


def test_subset_means_use_the_iou_summed_over_the_whole_set():
    # IoU over both images (255 ignored, also for the prediction): a 2/3, b 1/3, c 1/2, d 1/1
    pairs = [([[0, 0, 1, 255]], [[0, 0, 1, 2]]), ([[1, 3, 2, 1]], [[2, 3, 2, 0]])]
    metrics = evaluate(
        SubsetIoUMetric(class_subsets=dict(mIoU_ab=['a', 'b'], mIoU_bcd=['b', 'c', 'd'])), pairs)
    iou = {'a': 2 / 3, 'b': 1 / 3, 'c': 1 / 2, 'd': 1 / 1}
    assert metrics['mIoU_ab'] == pytest.approx(100 * (iou['a'] + iou['b']) / 2, abs=0.01)
    assert metrics['mIoU_bcd'] == pytest.approx(100 * (iou['b'] + iou['c'] + iou['d']) / 3, abs=0.01)
    assert metrics['mIoU'] == pytest.approx(100 * np.mean(list(iou.values())), abs=0.01)


def test_classes_absent_from_prediction_and_truth_are_skipped():
    metrics = evaluate(SubsetIoUMetric(class_subsets=dict(mIoU_ad=['a', 'd'])), [([[0, 0]], [[0, 0]])])
    assert metrics['mIoU_ad'] == 100.0


def test_unknown_class_names_are_reported():
    with pytest.raises(ValueError, match=r"class_subsets\['mIoU2'\] names \['terrain'\]"):
        evaluate(SubsetIoUMetric(class_subsets=dict(mIoU2=['a', 'terrain'])), [([[0]], [[0]])])


@pytest.mark.parametrize('subsets, match', [
    (dict(), 'class_subsets is empty'),
    (dict(mIoU=['a']), "'mIoU' would overwrite"),
    (dict(mIoU0=[]), 'names no class'),
])
def test_bad_subsets_are_rejected(subsets, match):
    with pytest.raises(ValueError, match=match):
        SubsetIoUMetric(class_subsets=subsets)
