import pytest
import torch

from mmseg_mman.models.utils.self_erasing import (crelu, minmax_normalize, normalize_attention,
                                                  tags_to_multi_hot, ternary_mask)


def hand_made_maps():
    """Two samples, two classes, 1 x 5 pixels. Class 1 peaks left, class 2 peaks right."""
    class1 = torch.tensor([10., 8., 2., 0.2, -3.])
    class2 = torch.tensor([-1., 0., 2., 8., 10.])
    maps = torch.stack([class1, class2])[None, :, None, :].repeat(2, 1, 1, 1)
    return maps  # (2, 2, 1, 5)


def test_ternary_mask_counts_only_tagged_classes_per_sample():
    maps = hand_made_maps().requires_grad_()
    tags = torch.tensor([[1., 0.], [0., 1.]])  # sample 0: class 1 only, sample 1: class 2 only
    mask = ternary_mask(maps, tags, delta_h=0.7, delta_l=0.05)
    assert mask.shape == (2, 1, 1, 5)
    # class 1 normalised (negatives -> 0, min-max): [1, .8, .2, .02, 0]
    assert mask[0, 0, 0].tolist() == [0., 0., 1., -1., -1.]
    # class 2: [0, 0, .2, .8, 1]
    assert mask[1, 0, 0].tolist() == [-1., -1., 1., 0., 0.]
    assert not mask.requires_grad


def test_ternary_mask_takes_the_max_over_tagged_classes_and_untagged_images_are_background():
    maps = hand_made_maps()
    both = ternary_mask(maps, torch.tensor([[1., 1.], [0., 0.]]), delta_h=0.7, delta_l=0.05)
    assert both[0, 0, 0].tolist() == [0., 0., 1., 0., 0.]
    assert both[1].eq(-1).all()


def test_ternary_mask_rejects_inverted_thresholds():
    with pytest.raises(ValueError, match='delta_l=0.8'):
        ternary_mask(hand_made_maps(), torch.ones(2, 2), delta_h=0.1, delta_l=0.8)


def test_minmax_normalize_clamps_negatives_and_zeroes_flat_maps():
    maps = torch.tensor([[[[-2., 1., 3.]], [[5., 5., 5.]]]])
    out = minmax_normalize(maps)
    assert torch.allclose(out[0, 0, 0], torch.tensor([0., 1 / 3, 1.]))
    assert out[0, 1].eq(0).all()


def test_crelu_output_and_gradient_is_exactly_the_mask():
    x = torch.rand(2, 3, 4, 4) + 0.1
    x[0, 1, 0, 0] = -0.5  # a negative input is clamped in the forward pass ...
    x.requires_grad_()
    mask = torch.randint(-1, 2, (2, 1, 4, 4)).float()
    out = crelu(x, mask)
    assert torch.equal(out, x.detach().clamp(min=0) * mask)
    out.sum().backward()
    # ... and every channel's gradient is the mask, erased pixels (0) included.
    assert torch.equal(x.grad, mask.expand_as(x))


def test_tags_to_multi_hot_maps_class_ids_to_columns_and_rejects_others():
    assert tags_to_multi_hot([(1, 3), ()], 3).tolist() == [[1., 0., 1.], [0., 0., 0.]]
    with pytest.raises(ValueError, match=r'\[4\] of sample 0'):
        tags_to_multi_hot([(4, )], 3)
    with pytest.raises(ValueError, match=r'\[0\]'):
        tags_to_multi_hot([(0, )], 3)


def test_normalize_attention_divides_by_each_maps_maximum():
    maps = torch.tensor([[[[-1., 2., 4.]], [[-1., -2., -3.]]]])
    out = normalize_attention(maps)
    assert out[0, 0, 0].tolist() == [0., 0.5, 1.]
    assert out[0, 1].eq(0).all()
