"""DomainAdaptationDataPreProcessor: both domains prepared like mmseg prepares one."""
import copy

import pytest
import torch
from mmengine.structures import PixelData
from mmseg.models.data_preprocessor import SegDataPreProcessor
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

SETTINGS = dict(
    mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375], bgr_to_rgb=True, pad_val=0, seg_pad_val=255)


def samples(shapes, labelled):
    gen = torch.Generator().manual_seed(len(shapes))
    out = []
    for shape in shapes:
        sample = SegDataSample()
        if labelled:
            sample.gt_sem_seg = PixelData(data=torch.randint(0, 5, (1, *shape), generator=gen))
        sample.set_metainfo(dict(img_shape=shape, ori_shape=shape))
        out.append(sample)
    return out


def images(shapes, seed):
    gen = torch.Generator().manual_seed(seed)
    return [torch.randint(0, 256, (3, *shape), generator=gen, dtype=torch.uint8) for shape in shapes]


def batch(source_shapes=((24, 32), (24, 30)), target_shapes=((16, 20), (14, 20)), target_labels=False):
    return dict(
        inputs=images(source_shapes, 0),
        data_samples=samples(source_shapes, True),
        target_inputs=images(target_shapes, 1),
        target_data_samples=samples(target_shapes, target_labels))


def build(**kwargs):
    return MODELS.build(dict(type='DomainAdaptationDataPreProcessor', **SETTINGS, **kwargs))


def test_training_batch_prepares_both_domains_as_mmseg_prepares_one():
    data = batch()
    out = build(size=(24, 32), target_size=(16, 24))(copy.deepcopy(data), True)
    assert set(out) == {'inputs', 'data_samples', 'target_inputs', 'target_data_samples'}
    assert out['inputs'].shape == (2, 3, 24, 32) and out['target_inputs'].shape == (2, 3, 16, 24)
    plain = SegDataPreProcessor(**SETTINGS, size=(24, 32))
    expected_source = plain(dict(inputs=data['inputs'], data_samples=data['data_samples']), True)
    torch.testing.assert_close(out['inputs'], expected_source['inputs'], rtol=0, atol=0)
    plain.size = (16, 24)
    expected_target = plain(
        dict(inputs=data['target_inputs'], data_samples=data['target_data_samples']), True)
    torch.testing.assert_close(out['target_inputs'], expected_target['inputs'], rtol=0, atol=0)
    assert out['target_data_samples'][1].metainfo['padding_size'] == (0, 4, 0, 2)
    assert 'gt_sem_seg' not in out['target_data_samples'][0]


def test_target_settings_default_to_the_source_ones():
    out = build(size=(24, 32))(batch(target_shapes=((20, 30), (24, 32))), True)
    assert out['target_inputs'].shape == (2, 3, 24, 32)
    out = build(size_divisor=8, target_size_divisor=16)(batch(), True)
    assert out['inputs'].shape[2:] == (24, 32) and out['target_inputs'].shape[2:] == (16, 32)


def test_target_labels_are_padded_when_the_pipeline_loads_them():
    out = build(size=(24, 32), target_size=(16, 24))(batch(target_labels=True), True)
    assert out['target_data_samples'][1].gt_sem_seg.data.shape == (1, 16, 24)


def test_batches_of_one_domain_are_processed_as_by_mmseg():
    data = batch()
    single = dict(inputs=data['inputs'][:1], data_samples=data['data_samples'][:1])
    ours = build(size=(24, 32))(copy.deepcopy(single), False)
    theirs = SegDataPreProcessor(**SETTINGS, size=(24, 32))(copy.deepcopy(single), False)
    assert set(ours) == {'inputs', 'data_samples'}
    torch.testing.assert_close(ours['inputs'], theirs['inputs'], rtol=0, atol=0)
    training = build(size=(24, 32))(dict(inputs=data['inputs'], data_samples=data['data_samples']), True)
    assert set(training) == {'inputs', 'data_samples'}


def test_half_a_target_batch_is_an_error():
    data = batch()
    del data['target_data_samples']
    with pytest.raises(KeyError, match='has target_inputs but not target_data_samples'):
        build(size=(24, 32))(data, True)


def test_target_size_and_divisor_are_exclusive():
    with pytest.raises(ValueError, match='target_size or target_size_divisor'):
        build(size=(24, 32), target_size=(16, 16), target_size_divisor=8)
