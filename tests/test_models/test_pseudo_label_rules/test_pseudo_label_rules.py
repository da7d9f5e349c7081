import pytest
import torch
from mmseg.registry import MODELS


def rule(type_, **kwargs):
    return MODELS.build(dict(type=type_, **kwargs))


def maps(*rows):
    """(K, 1, W) attention from one row per class."""
    return torch.tensor(rows, dtype=torch.float32)[:, None, :]


def test_harmonic_mean_background_wins_where_saliency_is_low():
    attention = maps([1.0, 1.0, 0.0], [0.0, 0.0, 0.0])
    saliency = torch.tensor([[0.1, 0.9, 0.9]])
    label, scores = rule('HarmonicMeanRule')(attention, (1, ), saliency)
    assert label.tolist() == [[0, 1, 0]]
    assert torch.allclose(scores[0], 1 - saliency)
    assert torch.allclose(scores[1], 2 * saliency * attention[0] / (saliency + attention[0]))


@pytest.mark.parametrize('type_, kwargs', [('HarmonicMeanRule', {}), ('ThresholdRule', {})])
def test_a_class_outside_the_tags_is_never_chosen(type_, kwargs):
    attention = maps([0.0, 0.6, 0.2], [1.0, 1.0, 1.0])  # class 2 is strongest everywhere, but untagged
    saliency = torch.ones(1, 3)
    label, scores = rule(type_, **kwargs)(attention, (1, ), saliency)
    assert 2 not in label.unique().tolist()
    assert scores[2].eq(0).all()
    assert label.tolist() == [[0, 1, 1]]


def test_threshold_rule_and_ties_go_to_the_background():
    attention = maps([0.1, 0.15, 0.2])
    label, scores = rule('ThresholdRule', bg_score=0.15)(attention, (1, ))
    assert label.tolist() == [[0, 0, 1]]
    assert scores[0].eq(0.15).all()


def test_conflicts_are_ignored():
    attention = maps([0.9, 0.9, 0.2], [0.8, 0.1, 0.9])
    label, _ = rule('ThresholdRule', conflict_thr=0.7)(attention, (1, 2))
    assert label.tolist() == [[255, 1, 2]]


def test_saliency_ignore_rules():
    attention = maps([0.9, 0.9, 0.0, 0.0])
    saliency = torch.tensor([[0.9, 0.5, 0.3, 0.05]])
    harmonic = rule('HarmonicMeanRule', fg_min_saliency=0.6, bg_max_saliency=32 / 255)
    label, _ = harmonic(attention, (1, ), saliency)
    # foreground on low saliency -> 255, background on saliency >= 32/255 -> 255
    assert label.tolist() == [[1, 255, 255, 0]]


def test_too_little_foreground_ignores_the_image():
    attention = maps([0.9, 0.0, 0.0, 0.0])
    assert rule('ThresholdRule', min_fg_ratio=0.3)(attention, (1, ))[0].eq(255).all()
    assert rule('ThresholdRule', min_fg_ratio=0.2)(attention, (1, ))[0].tolist() == [[1, 0, 0, 0]]


def test_no_tags_is_all_background():
    label, scores = rule('ThresholdRule')(maps([0.9, 0.8]), ())
    assert label.eq(0).all() and scores[1].eq(0).all()


def test_bad_input_names_the_image():
    harmonic = rule('HarmonicMeanRule')
    with pytest.raises(ValueError, match='x.jpg: HarmonicMeanRule needs a saliency map'):
        harmonic(maps([0.5]), (1, ), None, source='x.jpg')
    with pytest.raises(ValueError, match=r'x.jpg: saliency of shape \(2, 2\) does not match'):
        harmonic(maps([0.5]), (1, ), torch.zeros(2, 2), source='x.jpg')
    with pytest.raises(ValueError, match=r'x.jpg: tag\(s\) \[3\] are not foreground class ids 1..1'):
        harmonic(maps([0.5]), (3, ), torch.zeros(1, 1), source='x.jpg')
    with pytest.raises(ValueError, match='bg_score=2'):
        rule('ThresholdRule', bg_score=2)
    with pytest.raises(ValueError, match='conflict_thr=-1'):
        rule('HarmonicMeanRule', conflict_thr=-1)
