import pytest
import torch
from mmseg.registry import MODELS


def build(**kwargs):
    cfg = dict(type='DeepLabV2Head', in_channels=8, in_index=1, num_classes=3, dilations=(1, 2, 3))
    cfg.update(kwargs)
    return MODELS.build(cfg)


def test_logits_are_the_sum_of_the_dilated_branches():
    head = build()
    head.init_weights()
    feats = [torch.randn(2, 4, 9, 9), torch.randn(2, 8, 5, 7)]
    logits = head(feats)
    assert logits.shape == (2, 3, 5, 7)
    expected = sum(
        torch.nn.functional.conv2d(feats[1], b.weight, b.bias, padding=d, dilation=d)
        for b, d in zip(head.aspp, (1, 2, 3)))
    torch.testing.assert_close(logits, expected)
    assert not hasattr(head, 'conv_seg')  # no unused parameter (DDP)
    assert all(p.grad is None for p in head.parameters())
    logits.sum().backward()
    assert all(p.grad is not None for p in head.parameters())


def test_paper_classifier_size_on_resnet101():
    head = build(in_channels=2048, in_index=3, num_classes=19, dilations=(6, 12, 18, 24))
    assert sum(p.numel() for p in head.parameters()) == 4 * (2048 * 19 * 9 + 19)


def test_classifier_has_no_dropout():
    with pytest.raises(ValueError, match='dropout_ratio=0.1'):
        build(dropout_ratio=0.1)
