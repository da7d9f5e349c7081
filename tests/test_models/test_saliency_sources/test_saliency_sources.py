import copy

import pytest
import torch
from conftest import make_tagged_batch, tiny_seenet_cfg, write_tiny_parser
from mmengine.structures import PixelData
from mmseg.registry import MODELS


def test_saliency_from_sample_resizes_to_the_original_size():
    source = MODELS.build(dict(type='SaliencyFromSample'))
    batch = make_tagged_batch([(1, ), (2, )], size=8)
    batch['data_samples'][0].gt_saliency = PixelData(data=torch.ones(1, 4, 4))
    batch['data_samples'][1].gt_saliency = PixelData(data=torch.full((1, 8, 8), 0.25))
    maps = source(torch.zeros(2, 3, 8, 8), batch['data_samples'])
    assert [tuple(m.shape) for m in maps] == [(8, 8), (8, 8)]
    assert maps[0].eq(1).all() and maps[1].eq(0.25).all()
    del batch['data_samples'][1].gt_saliency
    with pytest.raises(KeyError, match='img1.png has no saliency map'):
        source(torch.zeros(2, 3, 8, 8), batch['data_samples'])


def test_parser_saliency_is_one_minus_the_parsers_background_probability(tmp_path):
    config, checkpoint = write_tiny_parser(str(tmp_path), str(tmp_path))
    cfg = tiny_seenet_cfg()
    cfg.update(
        label_rule=dict(type='HarmonicMeanRule'),
        saliency_source=dict(type='ParserSaliency', config=config, checkpoint=checkpoint))
    model = MODELS.build(cfg).eval()
    # The parser is not part of SeeNet: neither trained nor saved with it.
    assert not any(key.startswith('saliency') for key in model.state_dict())
    data = model.data_preprocessor(make_tagged_batch([(1, ), (2, 3)]), False)
    source = model.saliency_source
    saliency = source(data['inputs'], data['data_samples'])
    with torch.no_grad():
        parsed = source.parser.predict(data['inputs'], copy.deepcopy(data['data_samples']))
    for sal, result in zip(saliency, parsed):
        assert sal.shape == (64, 64) and sal.min() >= 0 and sal.max() <= 1
        assert torch.allclose(sal, 1 - result.seg_logits.data.softmax(0)[0])
    with torch.no_grad():
        results = model.predict(**data)
    assert set(results[1].pred_sem_seg.data.unique().tolist()) <= {0, 2, 3}


def test_parser_saliency_checks_the_preprocessing_and_background(tmp_path):
    config, checkpoint = write_tiny_parser(str(tmp_path), str(tmp_path))
    cfg = tiny_seenet_cfg()
    cfg['data_preprocessor']['bgr_to_rgb'] = False
    cfg.update(
        label_rule=dict(type='HarmonicMeanRule'),
        saliency_source=dict(type='ParserSaliency', config=config, checkpoint=checkpoint))
    with pytest.raises(ValueError, match='preprocesses images differently'):
        MODELS.build(cfg)
    with pytest.raises(ValueError, match='background_index=20'):
        MODELS.build(dict(type='ParserSaliency', config=config, checkpoint=checkpoint, background_index=20))
