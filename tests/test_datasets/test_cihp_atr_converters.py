"""The CIHP and ATR converters (mmseg_mman.datasets.converters.{cihp,atr}) on generated trees in the
releases' layouts."""
import os.path as osp

import cv2
import numpy as np
import pytest
from conftest import run_tool
from PIL import Image

from mmseg_mman.datasets.converters import atr, cihp
from mmseg_mman.datasets.converters.common import ConversionError


def _write_pair(image_path, label_path, value, size=(20, 12)):
    height, width = size
    cv2.imwrite(str(image_path), np.full((height, width, 3), 100, np.uint8))
    label = np.zeros((height, width), np.uint8)
    label[5:15, 2:10] = value
    Image.fromarray(label).save(label_path)  # mode L, as the releases' labels


@pytest.fixture
def cihp_release(tmp_path):
    """instance-level_human_parsing with 3 train / 2 val ids (one unlisted image) and Testing/."""
    root = tmp_path / 'instance-level_human_parsing'
    for folder, list_name, ids in (('Training', 'train_id.txt', ['0000006', '0000007', '0000010']),
                                   ('Validation', 'val_id.txt', ['0000001', '0000002'])):
        for sub in ('Images', 'Category_ids', 'Instance_ids'):
            (root / folder / sub).mkdir(parents=True)
        for i, sample_id in enumerate(ids + ['9999999']):
            _write_pair(
                root / folder / 'Images' / f'{sample_id}.jpg',
                root / folder / 'Category_ids' / f'{sample_id}.png',
                value=10 + i)
        (root / folder / list_name).write_text(''.join(f'{i}\n' for i in ids))
    (root / 'Testing' / 'Images').mkdir(parents=True)
    return tmp_path


def test_cihp_converts_the_listed_ids_of_each_split(cihp_release, tmp_path, capsys):
    out = tmp_path / 'CIHP'
    cihp.main([str(cihp_release), '-o', str(out), '--no-verify'])  # the parent folder works too
    assert 'CIHP: 3 train / 2 val samples' in capsys.readouterr().out
    for split, ids in (('train', ['0000006', '0000007', '0000010']), ('val', ['0000001', '0000002'])):
        assert sorted(p.stem for p in (out / 'img_dir' / split).iterdir()) == ids
        assert sorted(p.stem for p in (out / 'ann_dir' / split).iterdir()) == ids
    label = np.array(Image.open(out / 'ann_dir' / 'train' / '0000007.png'))
    assert Image.open(out / 'ann_dir' / 'train' / '0000007.png').mode == 'L'
    assert np.unique(label).tolist() == [0, 11]  # the ids, unchanged: 11 Scarf


def test_cihp_verifies_the_official_split_sizes(cihp_release, tmp_path):
    with pytest.raises(
            ConversionError, match=r'found 3 train ids in train_id.txt, the official release has 28280'):
        cihp.main([str(cihp_release / 'instance-level_human_parsing'), '-o', str(tmp_path / 'out')])


def test_cihp_refuses_a_tree_missing_a_split(cihp_release, tmp_path):
    root = cihp_release / 'instance-level_human_parsing'
    (root / 'Validation' / 'Category_ids').rename(root / 'Validation' / 'labels')
    with pytest.raises(ConversionError, match=r'val: .*Validation/Category_ids not found'):
        cihp.main([str(root), '-o', str(tmp_path / 'out'), '--no-verify'])
    assert not (tmp_path / 'out').exists()  # checked before anything is written


def test_cihp_names_a_missing_label_and_a_bad_value(cihp_release, tmp_path):
    root = cihp_release / 'instance-level_human_parsing'
    (root / 'Training' / 'Category_ids' / '0000007.png').unlink()
    with pytest.raises(
            ConversionError, match=r'train id 0000007 \(listed in train_id.txt\): label .* not found'):
        cihp.main([str(root), '-o', str(tmp_path / 'out'), '--no-verify'])
    _write_pair(
        root / 'Training' / 'Images' / '0000007.jpg',
        root / 'Training' / 'Category_ids' / '0000007.png',
        value=20)
    with pytest.raises(
            ConversionError, match=r'0000007.png: label value\(s\) \[20\] are not class ids 0..19'):
        cihp.main([str(root), '-o', str(tmp_path / 'out'), '--no-verify'])


@pytest.fixture
def atr_release(tmp_path):
    root = tmp_path / 'humanparsing'
    (root / 'JPEGImages').mkdir(parents=True)
    (root / 'SegmentationClassAug').mkdir()
    for i in range(12):
        _write_pair(
            root / 'JPEGImages' / f'997_{i}.jpg', root / 'SegmentationClassAug' / f'997_{i}.png', value=i + 6)
    return tmp_path


def _split_ids(out):
    return {split: (out / f'{split}.txt').read_text().split() for split in ('train', 'val', 'test')}


def test_atr_seeded_split_with_counts_and_ids(atr_release, tmp_path, capsys):
    out = tmp_path / 'ATR'
    atr.main([str(atr_release), '-o', str(out), '--no-verify', '--num-val', '3', '--num-test', '2'])
    assert 'ATR: 7 train / 3 val / 2 test samples' in capsys.readouterr().out
    splits = _split_ids(out)
    assert [len(splits[s]) for s in ('train', 'val', 'test')] == [7, 3, 2]
    assert sorted(sum(splits.values(), [])) == sorted(f'997_{i}' for i in range(12))
    for split, ids in splits.items():
        assert sorted(p.stem for p in (out / 'img_dir' / split).iterdir()) == sorted(ids)
        assert sorted(p.stem for p in (out / 'ann_dir' / split).iterdir()) == sorted(ids)
    label = np.array(Image.open(out / 'ann_dir' / 'train' / f"{splits['train'][0]}.png"))
    assert label.max() == int(splits['train'][0].split('_')[1]) + 6
    # the same seed, the same split; another seed, another one
    atr.main([str(atr_release), '-o', str(out), '--no-verify', '--num-val', '3', '--num-test', '2'])
    assert _split_ids(out) == splits
    atr.main([
        str(atr_release), '-o',
        str(tmp_path / 'ATR1'), '--no-verify', '--num-val', '3', '--num-test', '2', '--seed', '1'
    ])
    assert _split_ids(tmp_path / 'ATR1') != splits


def test_atr_split_lists_and_their_errors(atr_release, tmp_path):
    lists = tmp_path / 'lists'
    lists.mkdir()
    (lists / 'train_id.txt').write_text('\n'.join(f'997_{i}' for i in range(10)))
    (lists / 'val_id.txt').write_text('997_10\n997_11\n')
    out = tmp_path / 'ATR'
    atr.main([str(atr_release / 'humanparsing'), '-o', str(out), '--no-verify', '--split-dir', str(lists)])
    assert sorted(p.stem for p in (out / 'img_dir' / 'val').iterdir()) == ['997_10', '997_11']
    assert not (out / 'img_dir' / 'test').exists()
    (lists / 'val_id.txt').write_text('997_10\n997_3\n')
    with pytest.raises(ConversionError, match=r'val_id.txt: id 997_3 is also in the train list'):
        atr.main([str(atr_release), '-o', str(out), '--no-verify', '--split-dir', str(lists)])


def test_atr_verifies_the_count_and_refuses_a_tree_missing_its_labels(atr_release, tmp_path):
    with pytest.raises(
            ConversionError, match=r'found 12 ATR image/label pairs, the official release has 17700'):
        atr.main([str(atr_release), '-o', str(tmp_path / 'out')])
    root = atr_release / 'humanparsing'
    (root / 'SegmentationClassAug' / '997_4.png').unlink()
    with pytest.raises(ConversionError, match=r'image .*997_4.jpg has no label'):
        atr.main([str(root), '-o', str(tmp_path / 'out'), '--no-verify'])
    (root / 'SegmentationClassAug').rename(root / 'labels')
    with pytest.raises(ConversionError, match=r'SegmentationClassAug not found'):
        atr.main([str(root), '-o', str(tmp_path / 'out'), '--no-verify'])


def test_converter_clis_run(atr_release, cihp_release, tmp_path):
    proc = run_tool('dataset_converters/atr.py', str(atr_release), '-o', str(tmp_path / 'ATR'), '--no-verify',
                    '--num-val', '2', '--num-test', '2')
    assert proc.returncode == 0, proc.stderr
    assert osp.isfile(tmp_path / 'ATR' / 'val.txt')
    proc = run_tool('dataset_converters/cihp.py', str(cihp_release), '-o', str(tmp_path / 'CIHP'))
    assert proc.returncode != 0 and 'found 3 train ids' in proc.stderr
