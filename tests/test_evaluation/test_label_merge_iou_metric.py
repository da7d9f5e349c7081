import os.path as osp

import pytest
import torch
from mmengine import Config
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from mmseg_mman.datasets import PPSSDataset
from mmseg_mman.evaluation.metrics import LabelMergeIoUMetric, build_merge_lut

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
LIP_TO_PPSS_CFG = osp.join(REPO, 'configs/_base_/datasets/lip_to_ppss.py')

# datasets.md: PPSS id <- LIP ids
EXPECTED_LIP_TO_PPSS = {
    0: [0],
    1: [1, 2],
    2: [4, 13],
    3: [5, 6, 7, 10, 11],
    4: [3, 14, 15],
    5: [9, 12],
    6: [16, 17],
    7: [8, 18, 19]
}


def _merge_metric_from_config() -> LabelMergeIoUMetric:
    cfg = Config.fromfile(LIP_TO_PPSS_CFG)
    metric_cfg = dict(cfg.val_evaluator[0])
    assert metric_cfg.pop('type') == 'LabelMergeIoUMetric'
    metric = LabelMergeIoUMetric(**metric_cfg)
    metric.dataset_meta = PPSSDataset.METAINFO
    return metric


def _sample(gt, pred) -> dict:
    sample = SegDataSample()
    sample.gt_sem_seg = PixelData(data=torch.tensor(gt)[None])
    sample.pred_sem_seg = PixelData(data=torch.tensor(pred)[None])
    sample.set_metainfo(dict(img_path='video/frame.jpg'))
    return sample.to_dict()


def test_config_merge_table_is_the_documented_one():
    lut = _merge_metric_from_config().source_to_target
    assert len(lut) == 20
    for ppss_id, lip_ids in EXPECTED_LIP_TO_PPSS.items():
        assert lut[lip_ids].tolist() == [ppss_id] * len(lip_ids)


def test_lip_predictions_scored_on_ppss_classes():
    metric = _merge_metric_from_config()
    gt = [[0, 1, 2, 3], [4, 5, 6, 7]]
    # LIP ids merging to [[0, 1, 2, 3], [4, 5, 6, 6]]: one shoe -> leg
    metric.process({}, [_sample(gt, [[0, 1, 4, 5], [15, 9, 17, 16]])])
    results = metric.evaluate(1)
    assert results['IoU.Legs'] == 50.0  # 1 / (2 predicted + 1 gt - 1)
    assert results['IoU.Shoes'] == 0.0
    assert results['IoU.Face'] == 100.0
    assert results['mIoU'] == 81.25  # (6 * 100 + 50 + 0) / 8
    assert results['mIoU_7cls'] == pytest.approx(92.86)  # (600 + 50) / 7
    assert results['aAcc'] == 87.5


def test_merge_rejects_out_of_range_predictions():
    metric = _merge_metric_from_config()
    with pytest.raises(ValueError, match=r'video/frame.jpg.*\[20\]'):
        metric.process({}, [_sample([[0, 1]], [[0, 20]])])


def test_merge_checks_dataset_classes():
    metric = LabelMergeIoUMetric(merge_groups=[[0], [1, 2]])
    metric.dataset_meta = PPSSDataset.METAINFO
    with pytest.raises(ValueError, match='2 target classes but the dataset'):
        metric.process({}, [_sample([[0]], [[0]])])
    metric = LabelMergeIoUMetric(merge_groups=[[0], [1, 2]], partial_mean_exclude=['Shoes'])
    metric.dataset_meta = dict(classes=('bg', 'fg'))
    with pytest.raises(ValueError, match="'Shoes'"):
        metric.process({}, [_sample([[0]], [[0]])])


@pytest.mark.parametrize('groups, message', [
    ([[0, 1], [1]], 'source id 1 is merged into both target 0 and target 1'),
    ([[0], [2]], r'missing \[1\]'),
    ([], 'empty'),
    ([[]], 'exactly once'),
])
def test_build_merge_lut_rejects_bad_tables(groups, message):
    with pytest.raises(ValueError, match=message):
        build_merge_lut(groups)
