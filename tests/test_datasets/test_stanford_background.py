"""Stanford Background: the converter on a tiny tree in the release's format (iccv09Data), the split,
bad inputs, and the dataset read through its base config."""
import os
import os.path as osp

import cv2
import numpy as np
import pytest
from mmengine import Config
from mmengine.registry import init_default_scope
from mmseg.registry import DATASETS
from PIL import Image

from mmseg_mman.datasets import STANFORD_BACKGROUND_CLASSES, StanfordBackgroundDataset
from mmseg_mman.datasets.converters import stanford_background as sbd
from mmseg_mman.datasets.converters.common import ConversionError

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(REPO, 'configs/_base_/datasets/stanford_background.py')
STEMS = ['0000047', '0000051', '0000059', '6000124', '9005294']
HEIGHT, WIDTH = 6, 8


def _regions(seed: int) -> np.ndarray:
    """A (6, 8) matrix of every class id 0..7 and some -1 (unknown)."""
    regions = np.random.default_rng(seed).permutation(np.arange(HEIGHT * WIDTH) % 8).reshape(HEIGHT, WIDTH)
    regions[0, :2] = -1
    return regions


def _write_regions(path, regions: np.ndarray, sep=' ') -> None:
    path.write_text(''.join(sep.join(str(v) for v in row) + '\n' for row in regions))


def _files(root) -> dict:
    found = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = osp.join(folder, name)
            with open(path, 'rb') as f:
                found[osp.relpath(path, root)] = f.read()
    return found


@pytest.fixture
def release(tmp_path):
    """What iccv09Data.tar.gz extracts to, with 5 instead of 715 images."""
    root = tmp_path / 'iccv09Data'
    (root / 'images').mkdir(parents=True)
    (root / 'labels').mkdir()
    (root / 'horizons.txt').write_text('')
    (root / 'README').write_text('README FOR ICCV09DATA\n')
    for i, stem in enumerate(STEMS):
        image = np.full((HEIGHT, WIDTH, 3), 40 * i, np.uint8)
        cv2.imwrite(str(root / 'images' / f'{stem}.jpg'), image)
        _write_regions(root / 'labels' / f'{stem}.regions.txt', _regions(i))
        # the geometric labels and layers are ignored
        _write_regions(root / 'labels' / f'{stem}.surfaces.txt', np.zeros((HEIGHT, WIDTH), int))
        _write_regions(root / 'labels' / f'{stem}.layers.txt', np.full((HEIGHT, WIDTH), 9))
    return root


def _convert(release, out, *extra):
    sbd.main([str(release), '-o', str(out), '--no-verify', *extra])


def test_conversion_writes_labels_images_and_split(tmp_path, release):
    out = tmp_path / 'stanford_background'
    _convert(release, out)
    train = (out / 'train.txt').read_text().split()
    val = (out / 'val.txt').read_text().split()
    assert (len(train), len(val)) == (4, 1)  # round(0.2 * 5)
    assert sorted(train + val) == STEMS
    for split, stems in (('train', train), ('val', val)):
        assert sorted(os.listdir(out / 'img_dir' / split)) == [f'{s}.jpg' for s in stems]
        assert sorted(os.listdir(out / 'ann_dir' / split)) == [f'{s}.png' for s in stems]
        for stem in stems:
            i = STEMS.index(stem)
            assert (out / 'img_dir' / split / f'{stem}.jpg').read_bytes() == \
                (release / 'images' / f'{stem}.jpg').read_bytes()
            with Image.open(out / 'ann_dir' / split / f'{stem}.png') as label:
                assert label.mode == 'L'
                label = np.array(label)
            expected = _regions(i)
            assert label.tolist() == np.where(expected < 0, 255, expected).tolist()
            assert set(np.unique(label).tolist()) == set(range(8)) | {255}


def test_the_parent_of_iccv09data_is_accepted_and_tabs_are_whitespace(tmp_path, release):
    _write_regions(release / 'labels' / f'{STEMS[0]}.regions.txt', _regions(0), sep='\t')
    out = tmp_path / 'out'
    _convert(release.parent, out)
    assert len((out / 'train.txt').read_text().split()) == 4


def test_default_split_is_one_fold_of_five_and_seeded():
    stems = [f'{i:07d}' for i in range(715)]
    folds = [sbd.split_stems(stems, fold=k) for k in range(5)]
    for split in folds:
        assert (len(split['train']), len(split['val'])) == (572, 143)
        assert sorted(split['train'] + split['val']) == stems
    # the five val blocks partition the dataset: a five-fold cross-validation
    assert sorted(s for split in folds for s in split['val']) == stems
    assert sbd.split_stems(stems, seed=3) == sbd.split_stems(stems, seed=3)
    assert sbd.split_stems(stems, seed=3) != sbd.split_stems(stems, seed=4)
    assert [len(v) for v in sbd.split_stems(stems, num_val=142).values()] == [573, 142]
    with pytest.raises(ConversionError, match=r'--fold must be in \[0, 5\)'):
        sbd.split_stems(stems, fold=5)
    with pytest.raises(ConversionError, match='--val-ratio'):
        sbd.split_stems(stems, val_ratio=1.0)


def test_count_is_verified(tmp_path, release):
    with pytest.raises(ConversionError, match='found 5 images .* the release has 715.*--no-verify'):
        sbd.main([str(release), '-o', str(tmp_path / 'o')])


def test_image_without_labels_and_labels_without_image_are_named(tmp_path, release):
    (release / 'labels' / f'{STEMS[1]}.regions.txt').unlink()
    (release / 'images' / f'{STEMS[3]}.jpg').unlink()
    with pytest.raises(ConversionError) as error:
        _convert(release, tmp_path / 'o')
    message = str(error.value)
    assert f'1 image(s) without a labels/<stem>.regions.txt file: {release}/images/{STEMS[1]}.jpg' in message
    orphan = f'{release}/labels/{STEMS[3]}.regions.txt'
    assert f'1 labels file(s) without an images/<stem>.jpg: {orphan}' in message
    assert not (tmp_path / 'o').exists()  # checked before anything is written


def test_size_mismatch_is_named(tmp_path, release):
    path = release / 'labels' / f'{STEMS[2]}.regions.txt'
    _write_regions(path, _regions(2)[:, :-1])
    with pytest.raises(
            ConversionError, match=rf'{STEMS[2]}.regions.txt is 7x6 .* its image .*{STEMS[2]}.jpg is 8x6'):
        _convert(release, tmp_path / 'o')


@pytest.mark.parametrize('value', [8, -2, 255])
def test_value_outside_the_classes_is_named(tmp_path, release, value):
    regions = _regions(4)
    regions[3, 3] = value
    _write_regions(release / 'labels' / f'{STEMS[4]}.regions.txt', regions)
    with pytest.raises(ConversionError, match=rf'{STEMS[4]}.regions.txt: value\(s\) \[{value}\] are neither'):
        _convert(release, tmp_path / 'o')


@pytest.mark.parametrize('token', ['1.0', 'x', '3,'])
def test_non_integer_token_is_named(tmp_path, release, token):
    path = release / 'labels' / f'{STEMS[0]}.regions.txt'
    lines = path.read_text().splitlines()
    row = lines[2].split()
    row[5] = token
    lines[2] = ' '.join(row)
    path.write_text('\n'.join(lines) + '\n')
    with pytest.raises(ConversionError, match=rf"{STEMS[0]}.regions.txt:3: token '{token}' \(column 6\)"):
        _convert(release, tmp_path / 'o')


def test_ragged_rows_and_empty_file_are_named(tmp_path, release):
    path = release / 'labels' / f'{STEMS[0]}.regions.txt'
    path.write_text('0 1 2\n0 1\n')
    with pytest.raises(ConversionError, match=rf'{STEMS[0]}.regions.txt:2: 2 values, the first row has 3'):
        _convert(release, tmp_path / 'o')
    path.write_text('\n')
    with pytest.raises(ConversionError, match=rf'{STEMS[0]}.regions.txt holds no values'):
        _convert(release, tmp_path / 'o')


def test_missing_folders(tmp_path):
    with pytest.raises(ConversionError, match='no images/ and labels/ folders'):
        sbd.main([str(tmp_path), '-o', str(tmp_path / 'o')])


def test_rerun_restarts_without_loss_and_leaves_no_stale_files(tmp_path, release):
    out = tmp_path / 'out'
    _convert(release, out)
    complete = _files(out)
    mtimes = {path: os.stat(out / path).st_mtime_ns for path in complete}
    _convert(release, out)  # nothing changed: nothing rewritten
    assert {path: os.stat(out / path).st_mtime_ns for path in complete} == mtimes
    # an interrupted run: a file missing, one truncated, a leftover partial file
    train = (out / 'train.txt').read_text().split()
    (out / 'ann_dir' / 'train' / f'{train[0]}.png').unlink()
    (out / 'img_dir' / 'train' / f'{train[1]}.jpg').write_bytes(b'\xff\xd8')
    (out / 'ann_dir' / 'train' / f'.{train[2]}.png.partial').write_bytes(b'')
    _convert(release, out)
    assert _files(out) == complete
    # another fold moves files between the splits and leaves no stale ones
    _convert(release, out, '--fold', '2')
    images = [name for split in ('train', 'val') for name in os.listdir(out / 'img_dir' / split)]
    assert sorted(images) == [f'{s}.jpg' for s in STEMS]
    assert (out / 'val.txt').read_text() != complete['val.txt'].decode()
    _convert(release, out, '--num-val', '0')
    assert os.listdir(out / 'img_dir' / 'val') == os.listdir(out / 'ann_dir' / 'val') == []


def test_dataset_reads_the_converted_tree_through_the_base_config(tmp_path, release):
    out = tmp_path / 'stanford_background'
    _convert(release, out)
    init_default_scope('mmseg')
    cfg = Config.fromfile(CONFIG)
    assert cfg.num_classes == len(STANFORD_BACKGROUND_CLASSES) == 8
    cfg.train_dataloader.dataset.data_root = str(out)
    cfg.val_dataloader.dataset.data_root = str(out)
    train = DATASETS.build(cfg.train_dataloader.dataset)
    assert isinstance(train, StanfordBackgroundDataset) and len(train) == 4
    assert train.metainfo['classes'] == STANFORD_BACKGROUND_CLASSES
    assert train.metainfo['classes'][7] == 'foreground object' and len(train.metainfo['palette']) == 8
    for i in range(len(train)):
        sample = train[i]
        assert tuple(sample['inputs'].shape) == (3, HEIGHT, WIDTH)  # trained at the image's size
        values = set(sample['data_samples'].gt_sem_seg.data.unique().tolist())
        assert values <= set(range(8)) | {255} and 255 in values
    val = DATASETS.build(cfg.val_dataloader.dataset)
    sample = val[0]
    assert tuple(sample['data_samples'].gt_sem_seg.data.shape) == (1, HEIGHT, WIDTH)
    assert cfg.val_evaluator == dict(type='IoUMetric', iou_metrics=['mIoU'])


def test_config_crop_trims_only_larger_images(tmp_path):
    for kind in ('img_dir', 'ann_dir'):
        (tmp_path / kind / 'train').mkdir(parents=True)
    cv2.imwrite(str(tmp_path / 'img_dir' / 'train' / 'big.jpg'), np.zeros((300, 400, 3), np.uint8))
    cv2.imwrite(str(tmp_path / 'ann_dir' / 'train' / 'big.png'), np.full((300, 400), 5, np.uint8))
    init_default_scope('mmseg')
    cfg = Config.fromfile(CONFIG)
    cfg.train_dataloader.dataset.data_root = str(tmp_path)
    sample = DATASETS.build(cfg.train_dataloader.dataset)[0]
    assert tuple(sample['inputs'].shape) == (3, 240, 320)


def test_cli_runs_and_reports_conversion_errors(tmp_path):
    from conftest import run_tool
    proc = run_tool(osp.join('dataset_converters', 'stanford_background.py'), str(tmp_path / 'missing'))
    assert proc.returncode != 0 and 'ConversionError' in proc.stderr and 'missing' in proc.stderr
