import pytest
import torch
from mmengine.evaluator import Evaluator
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from mmseg_mman.evaluation.metrics import LowResIoUMetric

GT = [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 255, 0], [3, 3, 0, 0]]
META = dict(classes=('c0', 'c1', 'c2', 'c3'))


def _sample(gt, pred, pred_low=None) -> SegDataSample:
    sample = SegDataSample()
    sample.gt_sem_seg = PixelData(data=torch.tensor(gt)[None])
    sample.pred_sem_seg = PixelData(data=torch.tensor(pred)[None])
    if pred_low is not None:
        sample.pred_sem_seg_low = PixelData(data=torch.tensor(pred_low)[None])
    return sample


def test_low_res_miou_hand_computed():
    metric = LowResIoUMetric()
    metric.dataset_meta = META
    # gt at 2x2 = [[1, 2], [3, 255]]: the 255 pixel is ignored
    metric.process({}, [_sample(GT, GT, pred_low=[[1, 2], [0, 0]]).to_dict()])
    results = metric.evaluate(1)
    # IoU c0 0/1, c1 1/1, c2 1/1, c3 0/1; accuracy 2 of 3 pixels;
    # Acc c0 is NaN (absent from the gt) -> mean of (1, 1, 0)
    assert results == pytest.approx(dict(aAcc_low=66.67, mIoU_low=50.0, mAcc_low=66.67))


def test_low_res_metric_names_the_segmentor_setting_when_missing():
    metric = LowResIoUMetric()
    metric.dataset_meta = META
    with pytest.raises(KeyError, match='low_res_prediction=True'):
        metric.process({}, [_sample(GT, GT).to_dict()])


def test_low_res_iou_ipr_metrics_share_one_evaluator():
    evaluator = Evaluator(
        [dict(type='IoUMetric', iou_metrics=['mIoU']),
         dict(type='LowResIoUMetric'),
         dict(type='IPRMetric')])
    evaluator.dataset_meta = META
    evaluator.process([_sample(GT, GT, pred_low=[[1, 2], [3, 0]])])
    results = evaluator.evaluate(1)
    assert results['mIoU'] == 100.0
    assert results['mIoU_low'] == 100.0
    # GT as prediction: the 255 pixel is the only isolated one of 16
    assert results['IPR'] == 6.25
