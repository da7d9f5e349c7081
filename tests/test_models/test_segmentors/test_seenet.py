import copy

import pytest
import torch
from conftest import make_tagged_batch, tiny_seenet_cfg
from mmseg.registry import MODELS


def build(**kwargs):
    torch.manual_seed(0)
    cfg = tiny_seenet_cfg()
    cfg.update(kwargs)
    return MODELS.build(cfg)


def test_training_step_without_labels_and_with_untagged_images_is_finite():
    model = build()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    batch = make_tagged_batch([(1, 3), (), (2, )])
    for _ in range(2):
        data = model.data_preprocessor(copy.deepcopy(batch), True)
        losses = model.loss(**data)
        assert set(losses) == {'decode.loss_cls_a', 'decode.loss_cls_b', 'decode.loss_cls_c'}
        total = sum(losses.values())
        assert torch.isfinite(total)
        optimizer.zero_grad()
        total.backward()
        assert all(torch.isfinite(p.grad).all() for p in model.parameters() if p.grad is not None)
        optimizer.step()


def test_cam_configuration_trains_sa_only():
    model = build(decode_head=dict(tiny_seenet_cfg()['decode_head'], self_erasing=False))
    data = model.data_preprocessor(make_tagged_batch([(1, ), (2, 3)]), True)
    assert set(model.loss(**data)) == {'decode.loss_cls_a'}


@pytest.mark.parametrize('flip', [False, True])
def test_predict_gives_pseudo_labels_scores_and_attention(flip):
    model = build(test_cfg=dict(flip=flip)).eval()
    batch = make_tagged_batch([(1, 3), (2, )])
    with torch.no_grad():
        results = model.predict(**model.data_preprocessor(batch, False))
    for result, tags in zip(results, [(1, 3), (2, )]):
        label = result.pred_sem_seg.data
        assert label.shape == (1, 64, 64)
        assert set(label.unique().tolist()) <= {0, 255, *tags}
        assert result.seg_logits.data.shape == (4, 64, 64)
        attention = result.pred_attention.data
        assert attention.shape == (3, 64, 64)
        assert attention.min() >= 0 and attention.max() <= 1
        for c in range(1, 4):
            if c in tags:
                assert attention[c - 1].max() == pytest.approx(1.0)
            else:
                assert attention[c - 1].eq(0).all()


def test_tag_folding_turns_vocabulary_attention_into_class_pseudo_labels():
    # vocabulary 1..3 -> classes: 1, 2 -> 1 and 3 -> 2
    lut = [0, 1, 1, 2]
    model = build(tag_folding=dict(type='TagFolding', lut=lut)).eval()
    batch = make_tagged_batch([(1, 2), (3, )])
    with torch.no_grad():
        data = model.data_preprocessor(batch, False)
        vocabulary = model.attention(data['inputs'], [s.metainfo for s in data['data_samples']])
        results = model.predict(**data)
    for result, maps, folded_tags in zip(results, vocabulary, [(1, ), (2, )]):
        assert result.attention_tags == folded_tags
        attention = result.pred_attention.data
        assert attention.shape == (2, 64, 64)
        assert torch.equal(attention[0], maps[:2].amax(dim=0)) and torch.equal(attention[1], maps[2])
        assert result.seg_logits.data.shape == (3, 64, 64)
        assert set(result.pred_sem_seg.data.unique().tolist()) <= {0, 255, *folded_tags}
    assert [result.tags for result in results] == [(1, 2), (3, )]  # the vocabulary's, untouched


def test_flip_max_is_at_least_the_single_view():
    model = build().eval()
    data = model.data_preprocessor(make_tagged_batch([(1, 2)]), False)
    with torch.no_grad():
        single = model.attention(data['inputs'], [s.metainfo for s in data['data_samples']])[0]
        model.test_cfg.flip = True
        both = model.attention(data['inputs'], [s.metainfo for s in data['data_samples']])[0]
    assert (both >= single - 1e-6).all() and (both > single + 1e-3).any()


def test_attention_is_cropped_and_resized_to_the_original_size():
    model = build().eval()
    batch = make_tagged_batch([(1, )], size=48)
    batch['data_samples'][0].set_metainfo(dict(img_shape=(48, 40), ori_shape=(24, 20)))
    batch['inputs'][0] = batch['inputs'][0][:, :, :40]
    with torch.no_grad():
        result = model.predict(**model.data_preprocessor(batch, False))[0]
    assert result.pred_sem_seg.data.shape == (1, 24, 20)
    assert result.pred_attention.data.shape == (3, 24, 20)


def test_rule_needing_saliency_needs_a_source():
    with pytest.raises(ValueError, match='HarmonicMeanRule needs a saliency_source'):
        build(label_rule=dict(type='HarmonicMeanRule'))


def test_predict_without_tags_names_the_image():
    model = build().eval()
    batch = make_tagged_batch([(1, )])
    batch['data_samples'][0].set_metainfo(dict(tags=None))
    del batch['data_samples'][0].tags
    with pytest.raises(KeyError, match='img0.png carries no `tags`'):
        model.predict(**model.data_preprocessor(batch, False))


def test_only_whole_inference():
    with pytest.raises(ValueError, match="mode='slide'"):
        build(test_cfg=dict(mode='slide'))


def test_sa_only_attention_is_a_configuration_below_the_fused_one():
    model = build().eval()
    data = model.data_preprocessor(make_tagged_batch([(1, 2)]), False)
    metas = [s.metainfo for s in data['data_samples']]
    with torch.no_grad():
        fused = model.attention(data['inputs'], metas)[0]
        model.decode_head.attention_branches = ('A', )
        sa_only = model.attention(data['inputs'], metas)[0]
    assert (fused >= sa_only - 1e-6).all() and (fused > sa_only + 1e-3).any()


def test_flip_max_mirrors_the_mirrored_view_back():
    # max(A(x), mirror(A(mirror(x)))) is the same map for x and, mirrored back, for mirror(x).
    model = build(test_cfg=dict(flip=True)).eval()
    data = model.data_preprocessor(make_tagged_batch([(1, 2)]), False)
    metas = [s.metainfo for s in data['data_samples']]
    with torch.no_grad():
        direct = model.attention(data['inputs'], metas)[0]
        mirrored = model.attention(data['inputs'].flip(-1), metas)[0].flip(-1)
    assert torch.allclose(direct, mirrored, atol=1e-5)
