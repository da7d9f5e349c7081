"""A parsing dataset defined in the config alone (ParsingFolderDataset + human_parsing_recipe): its
left/right pairs (given or derived from the names) reach the flip augmentation and the model,
bad pairs and bad label values are named, and it trains MMAN for two iterations."""
import os.path as osp
import textwrap

import cv2
import numpy as np
import pytest
import torch
from conftest import MMAN_DISCRIMINATORS, REPO_ROOT, tiny_model_cfg, tiny_runner_cfg
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import Runner
from mmseg.registry import DATASETS

from mmseg_mman.datasets import (ParsingFolderDataset, derive_flip_pairs, human_parsing_recipe,
                                 resolve_flip_pairs)

HUMAN_PARSING = osp.join(REPO_ROOT, 'configs', '_base_', 'datasets', 'human_parsing.py')
EXAMPLE = osp.join(REPO_ROOT, 'configs', '_base_', 'datasets', 'parsing_folder.py')
CLASSES = ('bg', 'torso', 'left_hand', 'right_hand', 'LeftFoot', 'RightFoot')


def test_pairs_are_derived_from_the_names():
    assert derive_flip_pairs(CLASSES) == [(2, 3), (4, 5)]
    assert derive_flip_pairs(['Background', 'Left-arm', 'Right-arm', 'arm', 'Left-shoe', 'Right-shoe']) == \
        [(1, 2), (4, 5)]
    assert derive_flip_pairs(['x', 'shoe right', 'shoe_left', 'Left eye']) == [(2, 1)]  # 'Left eye' alone
    assert derive_flip_pairs(['Background', 'Head', 'Torso']) == []


def test_given_pairs_by_name_or_id_and_their_errors():
    assert resolve_flip_pairs(CLASSES, [('left_hand', 'right_hand'), (4, 5)]) == [(2, 3), (4, 5)]
    assert resolve_flip_pairs(CLASSES, []) == []
    with pytest.raises(ValueError, match=r"my_key: 'left_foot' is not a class; the classes are \['bg'"):
        resolve_flip_pairs(CLASSES, [('left_foot', 'RightFoot')], key='my_key')
    with pytest.raises(ValueError, match='flip_pairs: class id 6 does not exist'):
        resolve_flip_pairs(CLASSES, [(2, 6)])
    with pytest.raises(ValueError, match="class 'left_hand' is in two pairs"):
        resolve_flip_pairs(CLASSES, [('left_hand', 'right_hand'), ('left_hand', 'RightFoot')])
    with pytest.raises(ValueError, match='expected pairs of two classes'):
        resolve_flip_pairs(CLASSES, ['left_hand'])


def write_folder(root, num=4, size=(48, 40), bad_value=None):
    """pics/{train,val}/<name>.png with masks/{train,val}/<name>_mask.png: the person's left hand
    (id 2) on the image's right half, the right hand (3) on its left half, the feet (4, 5) likewise
    below row 24, a bright left half."""
    height, width = size
    for split in ('train', 'val'):
        for kind in ('pics', 'masks'):
            (root / kind / split).mkdir(parents=True, exist_ok=True)
        for i in range(num):
            image = np.full((height, width, 3), 40 + 10 * i, np.uint8)
            image[:, :width // 2] = 230
            label = np.full((height, width), 3, np.uint8)
            label[:, width // 2:] = 2
            label[:4] = 1
            label[24:, :width // 2], label[24:, width // 2:] = 5, 4
            if bad_value is not None and i == 1:
                label[0, 0] = bad_value
            cv2.imwrite(str(root / 'pics' / split / f'p{i}.png'), image)
            cv2.imwrite(str(root / 'masks' / split / f'p{i}_mask.png'), label)


def user_config(tmp_path, data_root, pairs='None'):
    """What a user writes: the label set, folders and suffixes, nothing else (a CPU-sized recipe)."""
    text = textwrap.dedent(f'''\
        _base_ = [{HUMAN_PARSING!r}]
        from mmseg_mman.datasets import human_parsing_recipe, resolve_flip_pairs
        classes = {CLASSES!r}
        palette = [[0, 0, 0], [200, 0, 0], [0, 200, 0], [0, 0, 200], [200, 200, 0], [0, 200, 200]]
        flip_pairs = resolve_flip_pairs(classes, {pairs})
        num_classes = len(classes)
        recipe = human_parsing_recipe(num_classes, flip_pairs, crop_size=(32, 32), short_side=40)
        dataset = dict(type='ParsingFolderDataset', classes=classes, palette=palette, flip_pairs=flip_pairs,
                       img_suffix='.png', seg_map_suffix='_mask.png', data_root={str(data_root)!r})
        train_dataloader = dict(batch_size=2, num_workers=0, persistent_workers=False,
                                sampler=dict(type='InfiniteSampler', shuffle=True),
                                dataset=dict(dataset, data_prefix=dict(img_path='pics/train',
                                             seg_map_path='masks/train'), pipeline=recipe['train']))
        val_dataloader = dict(num_workers=0, persistent_workers=False,
                              dataset=dict(dataset, data_prefix=dict(img_path='pics/val',
                                           seg_map_path='masks/val'), pipeline=recipe['test']))
        test_dataloader = val_dataloader
        ''')
    path = tmp_path / 'my_parsing.py'
    path.write_text(text)
    return str(path)


def test_config_only_dataset_trains_mman_two_iterations(tmp_path):
    write_folder(tmp_path / 'data')
    cfg = Config.fromfile(user_config(tmp_path, tmp_path / 'data'))
    assert cfg.flip_pairs == [(2, 3), (4, 5)]
    model = tiny_model_cfg(MMAN_DISCRIMINATORS, size=32)
    model['decode_head']['num_classes'] = cfg.num_classes
    model['test_cfg']['flip_pairs'] = cfg.flip_pairs
    runner_cfg = tiny_runner_cfg(str(tmp_path / 'data'), str(tmp_path / 'work'), max_iters=2, crop=32)
    runner_cfg.update(
        model=model,
        train_dataloader=cfg.train_dataloader.to_dict(),
        val_dataloader=cfg.val_dataloader.to_dict(),
        test_dataloader=cfg.test_dataloader.to_dict(),
        val_evaluator=cfg.val_evaluator,
        test_evaluator=cfg.test_evaluator)
    runner_cfg['val_evaluator'] = [m for m in cfg.val_evaluator if m['type'] != 'LowResIoUMetric']
    runner = Runner.from_cfg(Config(runner_cfg))
    before = {k: v.clone() for k, v in runner.model.state_dict().items()}
    runner.train()
    assert runner.iter == 2
    assert osp.isfile(tmp_path / 'work' / 'iter_2.pth')
    dataset = runner.train_dataloader.dataset
    assert dataset.metainfo['classes'] == CLASSES and dataset.metainfo['flip_pairs'] == [(2, 3), (4, 5)]
    assert dataset.metainfo['palette'][2] == [0, 200, 0]
    after = runner.model.state_dict()
    assert not torch.equal(before['decode_head.conv_seg.weight'], after['decode_head.conv_seg.weight'])
    assert after['decode_head.conv_seg.weight'].shape[0] == len(CLASSES)
    assert runner.model.test_cfg['flip_pairs'] == [(2, 3), (4, 5)]


@pytest.mark.parametrize('pairs', ['None', "[('left_hand', 'right_hand'), ('LeftFoot', 'RightFoot')]"])
def test_the_flip_swaps_the_configured_pairs(tmp_path, pairs):
    """Derived or given by name, the pairs reach RandomFlip: after any flip the person's left hand is
    still on the image's right."""
    write_folder(tmp_path / 'data')
    cfg = Config.fromfile(user_config(tmp_path, tmp_path / 'data', pairs))
    init_default_scope('mmseg')
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    flips = set()
    for i in range(24):
        sample = dataset[i % len(dataset)]
        flips.add(sample['data_samples'].flip)
        gt = sample['data_samples'].gt_sem_seg.data[0]
        bright = sample['inputs'][0] > 180  # the image's original left half
        # a 32-row crop of 48 rows holds hand rows (< 24) and feet rows (>= 24)
        assert set(gt[:, 0].tolist()) - {1} == {3, 5} and set(gt[:, -1].tolist()) - {1} == {2, 4}
        assert set(gt[bright].unique().tolist()) - {1} == ({2, 4} if sample['data_samples'].flip else {3, 5})
    assert flips == {True, False}


def test_a_pair_naming_a_missing_class_is_named_at_config_load(tmp_path):
    write_folder(tmp_path / 'data')
    path = user_config(tmp_path, tmp_path / 'data', "[('left_hand', 'right_foot')]")
    with pytest.raises(ValueError, match=r"flip_pairs: 'right_foot' is not a class"):
        Config.fromfile(path)


def test_the_dataset_names_a_bad_pair_and_a_pipeline_built_for_other_pairs(tmp_path):
    write_folder(tmp_path / 'data')
    kwargs = dict(
        classes=CLASSES,
        data_root=str(tmp_path / 'data'),
        img_suffix='.png',
        seg_map_suffix='_mask.png',
        data_prefix=dict(img_path='pics/train', seg_map_path='masks/train'))
    with pytest.raises(ValueError, match=r"ParsingFolderDataset.flip_pairs: 'Left-hand' is not a class"):
        ParsingFolderDataset(flip_pairs=[('Left-hand', 'right_hand')], **kwargs)
    lip_recipe = human_parsing_recipe(len(CLASSES), [(2, 3)])
    with pytest.raises(
            ValueError,
            match=r"RandomFlip swaps \[\(2, 3\)\] but .*flip_pairs resolves to \[\(2, 3\), "
            r'\(4, 5\)\]'):
        ParsingFolderDataset(pipeline=lip_recipe['train'], **kwargs)
    with pytest.raises(ValueError, match='CheckSegMapValues has num_classes=20 but .*classes has 6'):
        ParsingFolderDataset(pipeline=human_parsing_recipe(20)['test'], **kwargs)
    with pytest.raises(ValueError, match='palette: 2 colours for 6 classes'):
        ParsingFolderDataset(palette=[[0, 0, 0], [1, 1, 1]], **kwargs)
    dataset = ParsingFolderDataset(**kwargs)
    assert len(dataset) == 4 and len(dataset.metainfo['palette']) == 6


def test_a_label_value_outside_the_classes_names_the_file(tmp_path):
    write_folder(tmp_path / 'data', bad_value=6)
    cfg = Config.fromfile(user_config(tmp_path, tmp_path / 'data'))
    init_default_scope('mmseg')
    dataset = DATASETS.build(cfg.val_dataloader.dataset)
    dataset[0]
    with pytest.raises(
            ValueError,
            match=r'masks/val/p1_mask.png: label value\(s\) \[6\] are neither a class id '
            r'\(0..5\)'):
        dataset[1]


def test_the_example_config_reads_its_tree(tmp_path):
    cfg = Config.fromfile(EXAMPLE)
    assert cfg.flip_pairs == [(5, 6), (7, 8), (9, 10)]
    (flip, ) = [t for t in cfg.train_pipeline if t.type == 'RandomFlip']
    assert [tuple(p) for p in flip.swap_seg_labels] == cfg.flip_pairs
    for split in ('train', 'val'):
        for kind, suffix in (('images', '.jpg'), ('labels', '.png')):
            (tmp_path / kind / split).mkdir(parents=True)
        cv2.imwrite(str(tmp_path / 'images' / split / 'a.jpg'), np.zeros((30, 20, 3), np.uint8))
        cv2.imwrite(str(tmp_path / 'labels' / split / 'a.png'), np.full((30, 20), 10, np.uint8))
    init_default_scope('mmseg')
    dataset = DATASETS.build(dict(cfg.val_dataloader.dataset, data_root=str(tmp_path)))
    assert dataset[0]['data_samples'].gt_sem_seg.data.unique().tolist() == [10]
    assert dataset.metainfo['classes'][10] == 'Right-shoe'
