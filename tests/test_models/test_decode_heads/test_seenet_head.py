import pytest
import torch
import torch.nn.functional as F
from mmengine.logging import MessageHub
from mmseg.registry import MODELS

from mmseg_mman.models.utils.self_erasing import ternary_mask


def build_head(**kwargs):
    cfg = dict(type='SeeNetHead', in_channels=8, channels=4, num_classes=4, in_index=0, dropout_ratio=0.0)
    cfg.update(kwargs)
    return MODELS.build(cfg)


def n_params(module):
    return sum(p.numel() for p in module.parameters())


def features(n=2, seed=0):
    return [torch.rand(n, 8, 6, 6, generator=torch.Generator().manual_seed(seed))]


def test_shared_bc_reuses_sb_parameters():
    shared, separate, cam = build_head(), build_head(share_bc=False), build_head(self_erasing=False)
    branch = n_params(cam)
    assert shared.branch_c is shared.branch_b
    assert n_params(shared) == 2 * branch
    assert n_params(separate) == 3 * branch
    assert cam.branch_names == ('A', ) and cam.attention_branches == ('A', )
    assert shared.attention_branches == ('A', 'B')
    assert build_head(attention_branches=['A']).attention_branches == ('A', )
    with pytest.raises(ValueError, match=r"attention_branches=\('C',\) must be a non-empty subset"):
        build_head(attention_branches=['C'])
    with pytest.raises(ValueError, match='must be a non-empty subset'):
        cam.attention_branches = ('A', 'B')


def test_forward_shapes_and_branch_inputs():
    head = build_head(share_bc=False)
    tags = torch.tensor([[1., 0., 0.], [0., 1., 1.]])
    x = features()
    maps = head.forward(x, tags)
    assert set(maps) == {'A', 'B', 'C'} and all(m.shape == (2, 3, 6, 6) for m in maps.values())
    # S_B sees C-ReLU(x) and S_C the background features of its own sample's mask.
    mask = ternary_mask(maps['A'], tags, head.delta_h, head.delta_l)
    assert torch.allclose(maps['B'], head.branch_b(F.relu(x[0]) * mask))
    assert torch.allclose(maps['C'], head.branch_c(F.relu(x[0]) * (mask == -1).float()))


def test_loss_keys_and_targets_sc_all_zero():
    head = build_head()
    tags = torch.tensor([[1., 0., 0.], [0., 1., 1.]])
    maps = head.forward(features(), tags)
    losses = head.loss_by_feat(maps, tags)
    assert set(losses) == {'loss_cls_a', 'loss_cls_b', 'loss_cls_c'}
    for name, target in (('a', tags), ('b', tags), ('c', torch.zeros_like(tags))):
        expected = F.binary_cross_entropy_with_logits(maps[name.upper()].mean(dim=(2, 3)), target)
        assert torch.allclose(losses[f'loss_cls_{name}'], expected)
    cam = build_head(self_erasing=False)
    assert set(cam.loss_by_feat(cam.forward(features(), tags), tags)) == {'loss_cls_a'}


def test_warmup_counts_sa_only():
    head = build_head(warmup_iters=3)
    tags = torch.tensor([[1., 0., 0.], [0., 1., 1.]])
    hub = MessageHub.get_current_instance()
    try:
        hub.update_info('iter', 2)
        losses = head.loss_by_feat(head.forward(features(), tags), tags)
        assert losses['loss_cls_a'] > 0 and losses['loss_cls_b'] == 0 and losses['loss_cls_c'] == 0
        sum(losses.values()).backward()  # every parameter still takes part
        assert head.branch_b[0].conv.weight.grad is not None
        hub.update_info('iter', 3)
        losses = head.loss_by_feat(head.forward(features(), tags), tags)
        assert losses['loss_cls_b'] > 0 and losses['loss_cls_c'] > 0
    finally:
        hub.update_info('iter', 0)


def test_inference_uses_test_thresholds():
    head = build_head(test_delta_h=1.0, test_delta_l=0.0).eval()
    tags = torch.ones(2, 3)
    x = features()
    maps = head.forward(x, tags)
    # delta_h 1 erases only the maximum, delta_l 0 reverses nothing.
    mask = ternary_mask(maps['A'], tags, 1.0, 0.0)
    assert not mask.eq(-1).any()
    assert torch.allclose(maps['B'], head.branch_b(F.relu(x[0]) * mask))


@pytest.mark.parametrize('kwargs, match', [
    (dict(num_classes=1), 'num_classes=1'),
    (dict(delta_h=0.1, delta_l=0.5), 'delta_l <= delta_h'),
    (dict(warmup_iters=-1), 'warmup_iters=-1'),
    (dict(loss_decode=[dict(type='CrossEntropyLoss')]), 'one loss config'),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        build_head(**kwargs)


def test_missing_tags_name_the_image():
    head = build_head()
    with pytest.raises(KeyError, match='a.jpg carries no `tags`'):
        head.tags_of([dict(img_path='a.jpg')])
