"""tools/misc/check_dataset.py: every problem of a config's datasets in one table, exit 1; exit 0 if clean."""
import os.path as osp
import re
import shutil

import cv2
import numpy as np
import pytest
from conftest import REPO_ROOT, tool_cli
from mmengine import Config

from mmseg_mman.datasets.check import check_config_datasets, format_report

LIP_CONFIG = osp.join(REPO_ROOT, 'configs', '_base_', 'datasets', 'lip.py')
PPSS_CONFIG = osp.join(REPO_ROOT, 'configs', '_base_', 'datasets', 'ppss.py')


@pytest.fixture(scope='module')
def check_dataset():
    return tool_cli(osp.join('misc', 'check_dataset.py'))


def data_root_options(root: str) -> list:
    return ['--cfg-options'
            ] + [f'{split}_dataloader.dataset.data_root={root}' for split in ('train', 'val', 'test')]


@pytest.fixture
def broken_lip(synthetic_lip, tmp_path):
    """The synthetic LIP tree with one of each problem in train, a label value beyond the classes in val."""
    root = tmp_path / 'lip'
    shutil.copytree(synthetic_lip, root)
    images, labels = root / 'train_images', root / 'train_segmentations'
    stems = sorted(p.name[:-4] for p in images.glob('*.jpg'))
    cv2.imwrite(str(images / 'rgba.png'), np.full((64, 40, 4), 200, np.uint8))  # another extension
    (images / f'{stems[0]}.jpg').unlink()  # its label is an orphan
    (labels / f'{stems[1]}.png').unlink()  # missing label
    label = cv2.imread(str(labels / f'{stems[2]}.png'), cv2.IMREAD_UNCHANGED)
    cv2.imwrite(str(labels / f'{stems[2]}.png'), label[:-1])  # one row short
    label = cv2.imread(str(labels / f'{stems[3]}.png'), cv2.IMREAD_UNCHANGED)
    cv2.imwrite(str(labels / f'{stems[3]}.png'), np.dstack([label] * 3))  # grey saved as RGB
    (images / f'{stems[4]}.jpg').write_bytes(b'not a jpeg')  # unreadable
    colour = cv2.imread(str(labels / f'{stems[5]}.png'), cv2.IMREAD_UNCHANGED)
    cv2.imwrite(str(labels / f'{stems[5]}.png'), np.dstack([colour, colour // 2,
                                                            colour // 3]))  # colour-coded
    val_labels = root / 'val_segmentations'
    val_stem = sorted(p.name[:-4] for p in val_labels.glob('*.png'))[0]
    label = cv2.imread(str(val_labels / f'{val_stem}.png'), cv2.IMREAD_UNCHANGED)
    label[:2, :2] = 25
    cv2.imwrite(str(val_labels / f'{val_stem}.png'), label)
    return root, stems, val_stem


def test_clean_tree_exits_0_with_one_line_per_split(check_dataset, synthetic_lip, capsys):
    assert check_dataset([LIP_CONFIG, *data_root_options(synthetic_lip)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        'train: 8 samples, every image and label decoded, no problem',
        'val: 4 samples, every image and label decoded, no problem',
        'test: the dataset of val (checked once)',
    ]


def test_every_problem_is_listed_in_one_table_exit_1(check_dataset, broken_lip, capsys):
    root, stems, val_stem = broken_lip
    assert check_dataset([LIP_CONFIG, '--split', 'train', 'val', *data_root_options(str(root))]) == 1
    out = capsys.readouterr().out
    rows = {}
    for line in out.splitlines():
        cells = [cell.strip() for cell in line.strip('|').split('|')]
        if len(cells) == 3 and cells[0] in ('train', 'val'):
            rows[osp.relpath(cells[1], root)] = (cells[0], cells[2])
    expected = {
        f'train_segmentations/{stems[0]}.png':
        'has no image: ',
        f'train_images/{stems[1]}.jpg':
        'has no label: ',
        'train_images/rgba.png':
        "has another extension than img_suffix '.jpg'",
        f'train_segmentations/{stems[2]}.png':
        r'decodes to \d+x63 \(width x height\) but its image .* to \d+x64',
        f'train_segmentations/{stems[3]}.png':
        'has 3 channels all equal: a grey label saved as RGB',
        f'train_images/{stems[4]}.jpg':
        'cannot be decoded',
        f'train_segmentations/{stems[5]}.png':
        'has 3 channels that differ: a colour-coded label',
        f'val_segmentations/{val_stem}.png':
        r'holds value\(s\) \[25\] that are neither a class id \(0..19\) '
        'nor the ignore index 255',
    }
    assert set(rows) == set(expected), out
    for path, pattern in expected.items():
        assert re.match(pattern, rows[path][1]), (path, rows[path])
    assert rows[f'val_segmentations/{val_stem}.png'][0] == 'val'
    assert 'train: 6 samples with both files, 7 problem(s)' in out
    assert 'val: 4 samples with both files, 1 problem(s)' in out
    assert out.rstrip().endswith('8 problem(s): fix them before training.')


def test_missing_folder_is_a_problem_not_a_crash(check_dataset, tmp_path, capsys):
    assert check_dataset([LIP_CONFIG, '--split', 'val', *data_root_options(str(tmp_path))]) == 1
    out = capsys.readouterr().out
    assert re.search(r"cannot be listed: CheckedLIPDataset: image folder '\S+val_images' not found", out)


def test_bad_config_and_split_exit_2(check_dataset, tmp_path, capsys):
    assert check_dataset([str(tmp_path / 'nope.py')]) == 2
    assert 'nope.py' in capsys.readouterr().err
    assert check_dataset([LIP_CONFIG, '--split', 'trian']) == 2
    assert "invalid choice: 'trian'" in capsys.readouterr().err


def _lip_cfg(root, **dataset_options) -> Config:
    cfg = Config.fromfile(LIP_CONFIG)
    for split in ('train', 'val', 'test'):
        cfg[f'{split}_dataloader'].dataset.update(data_root=str(root), **dataset_options)
    return cfg


def test_reduce_zero_label_is_respected(synthetic_lip, tmp_path):
    root = tmp_path / 'lip'
    shutil.copytree(synthetic_lip, root)
    path = sorted((root / 'val_segmentations').glob('*.png'))[0]
    label = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    label[0, :3] = (0, 20, 21)  # 0 -> 255 (ignored), 20 -> 19, 21 -> 20: beyond the 20 classes
    cv2.imwrite(str(path), label)
    [report] = check_config_datasets(_lip_cfg(root, reduce_zero_label=True), ['val'], progress=False)
    assert [(p.file, p.problem) for p in report.problems] == [
        (str(path), 'holds value(s) [20] (after reduce_zero_label) that are neither a class id (0..19) nor '
         'the ignore index 255')
    ]
    [report] = check_config_datasets(_lip_cfg(root), ['val'], progress=False)
    assert [re.search(r'\[.*?\]', p.problem).group() for p in report.problems] == ['[20, 21]']


def test_ppss_masks_are_decoded_by_their_loader(tmp_path):
    """Grey levels are decoded to ids; a mask of another size is resized (no problem), a grey level
    that is not a class is one."""
    video = tmp_path / 'PPSS' / 'TestData' / '101'
    video.mkdir(parents=True)
    for stem, level in (('a', 29), ('b', 30)):
        cv2.imwrite(str(video / f'{stem}.jpg'), np.full((32, 16, 3), 120, np.uint8))
        cv2.imwrite(str(video / f'{stem}_m.png'), np.full((16, 8), level, np.uint8))
    cfg = Config.fromfile(PPSS_CONFIG)
    cfg.val_dataloader.dataset.data_root = str(tmp_path / 'PPSS')
    [report] = check_config_datasets(cfg, ['val'], progress=False)
    assert [(osp.basename(p.file), p.problem.split(';')[0]) for p in report.problems
            ] == [('b_m.png', 'cannot be decoded (ValueError: grey level(s) [30] are not PPSS classes')]
    assert report.samples == 2


def test_progress_bar_and_table(synthetic_lip, capsys):
    reports = check_config_datasets(_lip_cfg(synthetic_lip), ['val'], progress=True)
    out = capsys.readouterr().out
    assert 'val: decoding 4 samples of CheckedLIPDataset' in out and '4/4' in out
    assert format_report(reports) == 'val: 4 samples, every image and label decoded, no problem'
