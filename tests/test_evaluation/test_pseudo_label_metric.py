import math

import cv2
import pytest
import torch
from mmseg.registry import METRICS

GT = torch.tensor([[0, 1, 1, 2], [0, 1, 255, 2]])
PRED = torch.tensor([[0, 1, 255, 2], [1, 255, 1, 0]])
ATTENTION = torch.tensor([
    [[0, .5, .2, .4], [.3, .9, 1, 0]],  # class 1
    [[0, 0, 0, .3], [0, 0, 0, .1]],  # class 2
])


def sample(pred=PRED, with_attention=True, img_path='a/0001.jpg'):
    result = dict(
        pred_sem_seg=dict(data=pred[None]), gt_sem_seg=dict(data=GT[None]), tags=(1, 2), img_path=img_path)
    if with_attention:
        result['pred_attention'] = dict(data=ATTENTION)
    return result


def evaluate(samples, **kwargs):
    metric = METRICS.build(dict(type='PseudoLabelMetric', **kwargs))
    metric.dataset_meta = dict(classes=('background', 'a', 'b'))
    metric.process({}, samples)
    return metric.compute_metrics(metric.results)


def test_both_255_conventions_ignored_and_precision():
    metrics = evaluate([sample()])
    # Predicted 255 is a miss: IoU 1/3, 1/4, 1/2; as background: 1/5, 1/4, 1/2.
    assert metrics['mIoU'] == pytest.approx(100 * (1 / 3 + 1 / 4 + 1 / 2) / 3, abs=0.01)
    assert metrics['mIoU_bg'] == pytest.approx(100 * (1 / 5 + 1 / 4 + 1 / 2) / 3, abs=0.01)
    assert metrics['ignored'] == pytest.approx(100 * 2 / 7, abs=0.01)
    assert metrics['precision'] == pytest.approx(60.0)


def test_coverage_and_leak_at_several_thresholds():
    metrics = evaluate([sample()], taus=(0.3, 0.95))
    # tau 0.3: class 1 covers 2 of 3 pixels and leaks on 2 of 4 attended, class 2 covers 1 of 2, leaks none.
    assert metrics['coverage@0.3'] == pytest.approx(60.0)
    assert metrics['leak@0.3'] == pytest.approx(40.0)
    # tau 0.95: only the ignored ground-truth pixel passes: nothing counted, the share is undefined.
    assert metrics['coverage@0.95'] == 0.0 and math.isnan(metrics['leak@0.95'])


def test_attention_is_scored_for_the_attention_tags_of_a_folded_vocabulary():
    # SeeNet with a TagFolding gives the tags of its attention's classes as `attention_tags`; the
    # sample's `tags` are then the classifier's vocabulary (here: ids no attention channel has).
    folded = dict(sample(), tags=(5, 9, 17), attention_tags=(1, ))
    metrics = evaluate([folded], taus=(0.3, ))
    # class 1 alone: covers 2 of 3 pixels, leaks on 2 of 4 attended
    assert metrics['coverage@0.3'] == pytest.approx(100 * 2 / 3, abs=0.01)
    assert metrics['leak@0.3'] == pytest.approx(50.0)


def test_every_sample_counts_through_the_evaluator():
    # BaseMetric.evaluate keeps len(dataset) results: one per sample, or samples are dropped.
    metric = METRICS.build(dict(type='PseudoLabelMetric'))
    metric.dataset_meta = dict(classes=('background', 'a', 'b'))
    perfect = sample(pred=GT.clone())
    metric.process({}, [sample()])
    metric.process({}, [perfect])
    both = metric.evaluate(size=2)
    assert len(metric.results) == 0  # evaluate() consumed them
    single = evaluate([sample()])
    assert both['precision'] > single['precision']
    assert both['precision'] == pytest.approx(100 * (3 + 7) / (5 + 7), abs=0.01)


def test_format_only_writes_without_scoring(tmp_path):
    metric = METRICS.build(dict(type='PseudoLabelMetric', format_only=True, output_dir=str(tmp_path)))
    metric.dataset_meta = dict(classes=('background', 'a', 'b'))
    unlabelled = sample()
    del unlabelled['gt_sem_seg']
    metric.process({}, [unlabelled])
    assert metric.evaluate(size=1) == {}
    assert (tmp_path / '0001.png').is_file()


def test_without_attention_no_coverage_keys():
    metrics = evaluate([sample(with_attention=False)])
    assert 'coverage@0.3' not in metrics and 'precision' in metrics


def test_pngs_written_with_255_kept(tmp_path):
    evaluate([sample()], output_dir=str(tmp_path))
    png = cv2.imread(str(tmp_path / '0001.png'), cv2.IMREAD_UNCHANGED)
    assert png.dtype.name == 'uint8' and png.tolist() == PRED.tolist()


def test_bad_tau():
    with pytest.raises(ValueError, match=r'taus \[30\]'):
        METRICS.build(dict(type='PseudoLabelMetric', taus=(30, )))
