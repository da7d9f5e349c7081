import pytest
import torch
from mmengine.structures import PixelData
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

from mmseg_mman.models.utils import nearest_resize

NUM_CLASSES = 5


def build_head(**kwargs):
    cfg = dict(
        type='MMANHead',
        in_channels=[8, 16, 32, 64],
        in_index=[0, 1, 2, 3],
        channels=8,
        skip_channels=4,
        decoder_channels=(16, 8, 8),
        final_upsample_channels=(8, 8),
        num_classes=NUM_CLASSES,
        decoder_dropout_ratio=0.0,
        dropout_ratio=0.0)
    cfg.update(kwargs)
    head = MODELS.build(cfg)
    head.init_weights()
    return head


def features(size=64, strides=(4, 8, 16, 16), channels=(8, 16, 32, 64), batch=2):
    return [torch.randn(batch, c, size // s, size // s) for c, s in zip(channels, strides)]


def samples_with(label):
    sample = SegDataSample(gt_sem_seg=PixelData(data=label))
    sample.set_metainfo(dict(img_shape=label.shape[1:], ori_shape=label.shape[1:]))
    return [sample]


@pytest.mark.parametrize('strides', [(4, 8, 16, 16), (4, 8, 16, 32), (4, 8, 8, 8)])
def test_outputs_at_deepest_and_full_resolution(strides):
    head = build_head(with_mid_output=True)
    low, high, mid = head(features(strides=strides))
    assert low.shape == (2, NUM_CLASSES, 64 // strides[-1], 64 // strides[-1])
    assert high.shape == (2, NUM_CLASSES, 64, 64)
    assert mid.shape == (2, NUM_CLASSES, 16, 16)
    assert head.output_names == ('low', 'high', 'mid')


def test_selects_stages_by_in_index():
    head = build_head(
        in_channels=[16, 32, 64],
        in_index=[1, 2, 3],
        decoder_channels=(8, 8),
        final_upsample_channels=(16, 8, 8))
    low, high = head(features())
    assert low.shape[2:] == (4, 4) and high.shape[2:] == (64, 64)


def test_predict_returns_full_resolution_logits_of_high_output_without_the_low_branch():
    head = build_head()
    feats = features(batch=1)
    calls = []
    head.low_fuse.register_forward_hook(lambda *args: calls.append(1))
    logits = head.predict(feats, [dict(img_shape=(64, 64))], test_cfg=dict())
    assert calls == []  # prediction costs the decoder path only
    torch.testing.assert_close(logits, head(feats)[1])


def test_predict_low_res_cuts_the_padded_border_and_flips_views_back():
    head = build_head()
    feats = features(batch=2)  # a padded 64 x 64 batch: low maps are 4 x 4
    low = head(feats)[0]
    metas = [
        dict(img_padding_size=[0, 16, 0, 32]),  # 48 x 32 image padded right and bottom
        dict(flip=True, flip_direction='horizontal')
    ]
    cropped, unflipped = head.predict_low_res(feats, metas, (64, 64))
    torch.testing.assert_close(cropped, low[0, :, :2, :3])
    torch.testing.assert_close(unflipped, low[1].flip(dims=(2, )))


def test_loss_weights_follow_paper_and_low_target_is_nearest_downsampled():
    head = build_head()
    label = torch.randint(0, NUM_CLASSES, (1, 64, 64))
    label[:, :8, :] = 255
    feats = features(batch=1)
    low, high = head(feats)
    losses = head.loss_by_feat((low, high), samples_with(label))
    low_label = label[:, ::16, ::16]  # nearest with an integer factor picks the top-left pixel
    torch.testing.assert_close(nearest_resize(label[None], (4, 4))[0], low_label)
    ce = torch.nn.functional.cross_entropy
    torch.testing.assert_close(losses['loss_ce_low'], 25.0 * ce(low, low_label, ignore_index=255))
    torch.testing.assert_close(losses['loss_ce'], 100.0 * ce(high, label, ignore_index=255))
    assert {'loss_ce', 'loss_ce_low', 'acc_seg'} == set(losses)


def test_mid_output_gets_its_own_loss():
    head = build_head(with_mid_output=True)
    label = torch.randint(0, NUM_CLASSES, (1, 64, 64))
    low, high, mid = head(features(batch=1))
    losses = head.loss_by_feat((low, high, mid), samples_with(label))
    mid_label = label[:, ::4, ::4]  # the stride-4 map's nearest-sampled labels
    ce = torch.nn.functional.cross_entropy
    torch.testing.assert_close(losses['loss_ce_mid'], 25.0 * ce(mid, mid_label, ignore_index=255))


def test_classifier_layers_start_from_paper_init():
    head = build_head()
    assert head.conv_seg.weight.std() < 0.002
    assert head.low_fuse.weight.std() < 0.002


@pytest.mark.parametrize('kwargs, message', [
    (dict(in_index=3, in_channels=64), 'at least two backbone stages'),
    (dict(decoder_channels=(16, 8)), 'decoder_channels'),
    (dict(final_upsample_channels=(8, 4)), 'final_upsample_channels'),
])
def test_bad_configuration_is_rejected_with_the_key(kwargs, message):
    with pytest.raises(ValueError, match=message):
        build_head(**kwargs)
