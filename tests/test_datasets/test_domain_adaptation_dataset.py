"""DomainAdaptationDataset on a small synthetic two-domain tree, built from the demo's dataset config."""
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope
from mmseg.registry import DATASETS, MODELS

from mmseg_mman.synthetic import generate_synthetic_domains

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
NUM_TRAIN, NUM_VAL = 6, 3


@pytest.fixture(scope='module')
def dataset_cfg(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('synthetic_domains'))
    generate_synthetic_domains(root, num_train=NUM_TRAIN, num_val=NUM_VAL, img_size=16, seed=0)
    init_default_scope('mmseg')
    cfg = Config.fromfile(osp.join(REPO, 'configs/_base_/datasets/synthetic_domains.py'))
    dataset = cfg.train_dataloader.dataset
    dataset.source.data_root = dataset.target.data_root = root
    dataset.target.data_prefix.img_path = 'target/img_dir/val'  # fewer targets than sources
    return dataset


def test_item_holds_a_labelled_source_and_an_unlabelled_target_sample(dataset_cfg):
    dataset = DATASETS.build(dataset_cfg)
    assert len(dataset) == NUM_TRAIN and len(dataset.target) == NUM_VAL
    item = dataset[4]
    assert set(item) == {'inputs', 'data_samples', 'target_inputs', 'target_data_samples'}
    assert item['inputs'].shape == item['target_inputs'].shape == (3, 16, 16)
    assert item['data_samples'].img_path.endswith(osp.join('source', 'img_dir', 'train', '000004.png'))
    assert item['data_samples'].gt_sem_seg.data.shape == (1, 16, 16)
    assert osp.dirname(item['target_data_samples'].img_path).endswith(osp.join('target', 'img_dir', 'val'))
    assert 'gt_sem_seg' not in item['target_data_samples']
    assert dataset.metainfo['classes'] == ('top band', 'middle band', 'bottom band')


def target_draws(dataset, seed, num=30):
    np.random.seed(seed)
    return [osp.basename(dataset[i % len(dataset)]['target_data_samples'].img_path) for i in range(num)]


def test_target_choice_is_random_and_follows_the_seed(dataset_cfg):
    dataset = DATASETS.build(dataset_cfg)
    first = target_draws(dataset, 0)
    assert first == target_draws(dataset, 0)
    assert first != target_draws(dataset, 1)
    assert set(first) == {f'{i:06d}.png' for i in range(NUM_VAL)}


def test_collated_items_feed_the_data_preprocessor(dataset_cfg):
    dataset = DATASETS.build(dataset_cfg)
    preprocessor = MODELS.build(
        dict(type='DomainAdaptationDataPreProcessor', mean=[0, 0, 0], std=[1, 1, 1], size=(16, 16)))
    data = preprocessor(pseudo_collate([dataset[0], dataset[1]]), True)
    assert data['inputs'].shape == data['target_inputs'].shape == (2, 3, 16, 16)
    assert len(data['target_data_samples']) == 2
    assert data['inputs'].dtype == torch.float32


def test_empty_target_is_reported_by_role(dataset_cfg, tmp_path):
    cfg = dataset_cfg.copy()
    cfg.target = dict(cfg.target, data_root=str(tmp_path), data_prefix=dict(img_path='.'))
    with pytest.raises(
            ValueError, match=r"target dataset BaseSegDataset is empty: no image ending in '.png'"):
        DATASETS.build(cfg)


def test_a_domain_must_be_a_dataset_or_config(dataset_cfg):
    with pytest.raises(TypeError, match='source must be a dataset config'):
        DATASETS.build(dict(type='DomainAdaptationDataset', source=[1], target=dataset_cfg.target))


def test_built_datasets_can_be_wrapped(dataset_cfg):
    source, target = DATASETS.build(dataset_cfg.source), DATASETS.build(dataset_cfg.target)
    dataset = DATASETS.build(dict(type='DomainAdaptationDataset', source=source, target=target))
    assert dataset.source is source and len(dataset) == NUM_TRAIN
