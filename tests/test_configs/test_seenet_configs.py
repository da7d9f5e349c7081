import copy
import glob
import os.path as osp

import pytest
from conftest import REPO_ROOT, write_tiny_parser
from mmengine.config import Config
from mmseg.registry import MODELS

from mmseg_mman.datasets.ccp import CCP_LABEL_TO_COARSE

CONFIG_DIR = osp.join(REPO_ROOT, 'configs', 'seenet')
#: A label list for CCPTagFolding: the 59 labels ('null' first, as CCP's label_list.txt).
CCP_LABELS = list(CCP_LABEL_TO_COARSE)
CONFIGS = sorted(glob.glob(osp.join(CONFIG_DIR, '*.py')))
#: The tag classifiers (every config but stage 3's parsing model).
CLASSIFIER_CONFIGS = [config for config in CONFIGS if not osp.basename(config).startswith('mman_')]
SEMI_CONFIG = 'mman_r18-d16_1xb8-0.4k_ccp-pseudo-64x64.py'
BASELINE_CONFIG = osp.join(REPO_ROOT, 'configs', 'benchmarks', 'mman_r18-d16_1xb8-0.4k_ccp-64x64.py')


def load(name):
    return Config.fromfile(osp.join(CONFIG_DIR, name))


EXPECTED = {
    'seenet_r18-d8_1xb8-1k_synthetic-weak-64x64.py', 'cam_r18-d8_1xb8-1k_synthetic-weak-64x64.py',
    'seenet_r50-d16_1xb1-30k_ccp-tags-224.py', 'cam_r50-d16_1xb1-30k_ccp-tags-224.py',
    'seenet-parser-sal_r50-d16_1xb1-30k_ccp-tags-224.py', 'seenet_r18-d8_1xb8-1k_ccp-tags-64x96.py',
    'cam_r18-d8_1xb8-1k_ccp-tags-64x96.py', 'seenet-parser-sal_r18-d8_1xb8-1k_ccp-tags-64x96.py',
    'cam-parser-sal_r18-d8_1xb8-1k_ccp-tags-64x96.py', 'seenet_r18-d8_1xb8-1k_ccp-fine-tags-64x96.py',
    'cam_r18-d8_1xb8-1k_ccp-fine-tags-64x96.py', 'seenet-parser-sal_r18-d8_1xb8-1k_ccp-fine-tags-64x96.py',
    'cam-parser-sal_r18-d8_1xb8-1k_ccp-fine-tags-64x96.py', SEMI_CONFIG
}


def test_every_config_is_covered():
    assert {osp.basename(c) for c in CONFIGS} == EXPECTED


@pytest.mark.parametrize('config', CLASSIFIER_CONFIGS, ids=osp.basename)
def test_training_pipelines_never_load_pixel_labels(config):
    cfg = Config.fromfile(config)
    steps = [step['type'] for step in cfg.train_dataloader.dataset.pipeline]
    assert 'LoadAnnotations' not in steps
    assert cfg.train_dataloader.dataset.pipeline[-1] == dict(type='PackTagInputs', allow_seg_map=False)
    assert 'seg_map_path' not in cfg.train_dataloader.dataset.data_prefix


@pytest.mark.parametrize('seenet, cam', [
    ('seenet_r18-d8_1xb8-1k_synthetic-weak-64x64.py', 'cam_r18-d8_1xb8-1k_synthetic-weak-64x64.py'),
    ('seenet_r50-d16_1xb1-30k_ccp-tags-224.py', 'cam_r50-d16_1xb1-30k_ccp-tags-224.py'),
    ('seenet_r18-d8_1xb8-1k_ccp-tags-64x96.py', 'cam_r18-d8_1xb8-1k_ccp-tags-64x96.py'),
    ('seenet-parser-sal_r18-d8_1xb8-1k_ccp-tags-64x96.py', 'cam-parser-sal_r18-d8_1xb8-1k_ccp-tags-64x96.py'),
    ('seenet_r18-d8_1xb8-1k_ccp-fine-tags-64x96.py', 'cam_r18-d8_1xb8-1k_ccp-fine-tags-64x96.py'),
    ('seenet-parser-sal_r18-d8_1xb8-1k_ccp-fine-tags-64x96.py',
     'cam-parser-sal_r18-d8_1xb8-1k_ccp-fine-tags-64x96.py'),
])
def test_cam_baseline_differs_only_by_self_erasing(seenet, cam):
    seenet_cfg, cam_cfg = load(seenet).to_dict(), load(cam).to_dict()
    assert seenet_cfg['model']['decode_head'].pop('self_erasing') is True
    assert cam_cfg['model']['decode_head'].pop('self_erasing') is False
    for cfg in (seenet_cfg, cam_cfg):
        cfg.pop('filename', None)
    assert seenet_cfg == cam_cfg


@pytest.mark.parametrize('name', [
    'seenet_r18-d8_1xb8-1k_synthetic-weak-64x64.py', 'cam_r18-d8_1xb8-1k_synthetic-weak-64x64.py',
    'seenet_r50-d16_1xb1-30k_ccp-tags-224.py', 'seenet_r18-d8_1xb8-1k_ccp-tags-64x96.py',
    'seenet_r18-d8_1xb8-1k_ccp-fine-tags-64x96.py'
])
def test_models_build(name, tmp_path, monkeypatch):
    label_list = tmp_path / 'label_list.txt'  # CCPTagFolding reads it
    label_list.write_text(''.join(f'{i}\t{name}\n' for i, name in enumerate(CCP_LABELS)))
    monkeypatch.setenv('CCP_ROOT', str(tmp_path))
    cfg = load(name)
    model = MODELS.build(copy.deepcopy(cfg.model))
    assert type(model).__name__ == 'SeeNet'
    assert model.decode_head.num_tags == model.num_classes - 1
    assert len(cfg.train_dataloader.dataset.pipeline) >= 3


def test_data_roots_follow_the_environment(monkeypatch):
    monkeypatch.setenv('SYNTHETIC_WEAK_ROOT', '/somewhere/weak')
    cfg = load('seenet_r18-d8_1xb8-1k_synthetic-weak-64x64.py')
    assert cfg.train_dataloader.dataset.data_root == '/somewhere/weak'
    assert cfg.train_dataloader.dataset.pipeline[1].tag_file == '/somewhere/weak/tags/train.txt'
    monkeypatch.setenv('CCP_ROOT', '/ccp')
    cfg = load('seenet_r50-d16_1xb1-30k_ccp-tags-224.py')
    assert cfg.train_dataloader.dataset.pipeline[1].label_list == '/ccp/label_list.txt'
    assert cfg.train_dataloader.dataset.ann_file == 'ids_image_level.txt'


@pytest.mark.parametrize('name', [
    'seenet-parser-sal_r50-d16_1xb1-30k_ccp-tags-224.py', 'seenet-parser-sal_r18-d8_1xb8-1k_ccp-tags-64x96.py'
])
def test_parser_saliency_config_builds_with_a_parser(tmp_path, monkeypatch, name):
    config, checkpoint = write_tiny_parser(str(tmp_path), str(tmp_path))
    monkeypatch.setenv('PARSER_CONFIG', config)
    monkeypatch.setenv('PARSER_CHECKPOINT', checkpoint)
    cfg = load(name)
    assert cfg.model.label_rule.type == 'HarmonicMeanRule'
    assert cfg.model.label_rule.bg_max_saliency == 32 / 255
    model = MODELS.build(cfg.model)
    assert type(model.saliency_source).__name__ == 'ParserSaliency'


def test_cpu_ccp_config_scores_the_pixel_labelled_val_photos_by_derived_tags():
    cfg = load('seenet_r18-d8_1xb8-1k_ccp-tags-64x96.py')
    test = cfg.test_dataloader.dataset
    assert test.data_prefix == dict(img_path='img_dir/val', seg_map_path='ann_dir/val')
    assert dict(type='TagsFromSegMap', num_classes=8, remove_seg_map=False) in test.pipeline
    assert cfg.train_dataloader.dataset.ann_file == 'ids_image_level.txt'
    assert cfg.test_evaluator.type == 'PseudoLabelMetric' and not cfg.test_evaluator.get('format_only')


def test_ccp_config_trains_one_step_shrunk():
    import torch
    from conftest import make_tagged_batch
    from mmengine.optim import build_optim_wrapper
    cfg = load('seenet_r50-d16_1xb1-30k_ccp-tags-224.py')
    cfg.model.pretrained = None
    cfg.model.backbone.depth = 18
    cfg.model.decode_head.update(in_channels=512, channels=8)
    model = MODELS.build(cfg.model)
    wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    assert wrapper._accumulative_counts == 5
    # head lr x10 (OAA's solver)
    lrs = {group['lr'] for group in wrapper.optimizer.param_groups}
    assert {1e-3, 1e-2} <= lrs
    log = model.train_step(make_tagged_batch([(1, 2, 6), (3, )]), wrapper)
    assert set(log) >= {'decode.loss_cls_a', 'decode.loss_cls_b', 'decode.loss_cls_c'}
    assert all(torch.isfinite(value) for value in log.values())


def test_fine_vocabulary_configs_differ_from_the_coarse_ones_in_tags_and_folding_only():
    coarse = load('seenet-parser-sal_r18-d8_1xb8-1k_ccp-tags-64x96.py')
    fine = load('seenet-parser-sal_r18-d8_1xb8-1k_ccp-fine-tags-64x96.py')
    assert fine.model.decode_head.pop('num_classes') == 59 and coarse.model.decode_head.pop(
        'num_classes') == 8
    assert fine.model.pop('tag_folding') == dict(type='CCPTagFolding', label_list=coarse.load_tags.label_list)
    assert fine.model == coarse.model
    tag_steps = dict(
        LoadCCPTags=dict(coarse.load_tags, vocabulary='fine'),
        TagsFromSegMap=dict(
            type='LoadCCPPixelTags',
            tag_dir=f'{coarse.data_root}/annotations/pixel-level',
            label_list=coarse.load_tags.label_list,
            vocabulary='fine'))
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        expected = coarse[loader].to_dict()
        expected['dataset']['pipeline'] = [
            tag_steps.get(step['type'], step) for step in expected['dataset']['pipeline']
        ]
        assert fine[loader].to_dict() == expected, loader
    assert fine.test_evaluator == coarse.test_evaluator


@pytest.mark.parametrize('name', [
    'seenet-parser-sal_r18-d8_1xb8-1k_ccp-tags-64x96.py',
    'seenet-parser-sal_r18-d8_1xb8-1k_ccp-fine-tags-64x96.py'
])
def test_cpu_parser_saliency_config_labels_the_tag_only_photos(name):
    cfg = load(name)
    test = cfg.test_dataloader.dataset
    assert test.data_prefix == dict(img_path='photos') and test.ann_file == 'ids_image_level.txt'
    assert 'LoadAnnotations' not in [step['type'] for step in test.pipeline]
    assert cfg.test_evaluator == dict(type='PseudoLabelMetric', format_only=True)
    # the same photo size as the classifier was trained on
    assert dict(type='Resize', scale=(64, 96), keep_ratio=False) in test.pipeline
    assert cfg.val_dataloader.dataset.data_prefix.seg_map_path == 'ann_dir/val'


def test_semi_supervised_mman_differs_from_its_comparison_only_by_the_training_data(monkeypatch):
    monkeypatch.setenv('PSEUDO_LABELS', 'relative/pseudo')
    semi = load(SEMI_CONFIG).to_dict()
    baseline = Config.fromfile(BASELINE_CONFIG).to_dict()
    pixel, pseudo = semi['train_dataloader'].pop('dataset')['datasets']
    assert pixel == baseline['train_dataloader'].pop('dataset')
    assert pseudo['data_prefix'] == dict(img_path='photos', seg_map_path=osp.abspath('relative/pseudo'))
    assert pseudo['ann_file'] == 'ids_image_level.txt' and pseudo['pipeline'] == pixel['pipeline']
    for name in ('filename', 'ccp_data', 'ccp_root', 'pseudo_labels', 'pixel_labelled', 'pseudo_labelled'):
        semi.pop(name, None)
        baseline.pop(name, None)
    assert semi == baseline
