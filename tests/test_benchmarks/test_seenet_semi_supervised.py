import json
import os

import cv2
import numpy as np
import pytest
import scipy.io

from mmseg_mman.benchmarks import seenet_semi_supervised
from mmseg_mman.datasets.ccp import CCP_LABEL_TO_COARSE

PIXEL_LABELLED = [f'{i:04d}' for i in range(1, 11)]
TAG_ONLY = ['1005', '1006', '1007']
PHOTO_SHAPE = (48, 32)  # height, width
LABEL_NAMES = list(CCP_LABEL_TO_COARSE)  # 'null' first, as CCP's label_list.txt
FINE_IDS = tuple(LABEL_NAMES.index(name) for name in ('null', 'hair', 'skin', 't-shirt', 'jeans', 'shoes'))


@pytest.fixture(scope='module')
def ccp_release(tmp_path_factory):
    """A CCP release in miniature: 10 pixel-labelled photos and 3 with image-level tags only."""
    root = tmp_path_factory.mktemp('ccp') / 'clothing-co-parsing'
    for folder in ('photos', 'annotations/pixel-level', 'annotations/image-level'):
        (root / folder).mkdir(parents=True)
    (root / 'label_list.txt').write_text(''.join(f'{i}\t{name}\n' for i, name in enumerate(LABEL_NAMES)))
    rng = np.random.default_rng(0)
    height, width = PHOTO_SHAPE
    for stem in PIXEL_LABELLED + TAG_ONLY:
        photo = rng.integers(0, 256, (height, width, 3), np.uint8)
        cv2.imwrite(str(root / 'photos' / f'{stem}.jpg'), photo)
        fine = np.zeros(PHOTO_SHAPE, np.uint8)
        for row, label in enumerate(FINE_IDS):
            fine[row * height // len(FINE_IDS):, width // 4:] = label
        if stem in TAG_ONLY:
            scipy.io.savemat(root / 'annotations/image-level' / f'{stem}.mat',
                             dict(tags=np.array([FINE_IDS], np.uint8)))
        else:
            scipy.io.savemat(root / 'annotations/pixel-level' / f'{stem}.mat', dict(groundtruth=fine))
    (root / 'ids_image_level.txt').write_text(''.join(f'{stem}\n' for stem in TAG_ONLY))
    return root


@pytest.fixture(scope='module')
def two_runs(ccp_release, tmp_path_factory):
    """The whole pipeline at 2 iterations a model, then the same command again (every step recorded)."""
    work = tmp_path_factory.mktemp('semi')
    argv = [
        '--ccp-root',
        str(ccp_release), '--seeds', '0', '--parser-iters', '2', '--classifier-iters', '2', '--work-dir',
        str(work), '--out',
        str(work / 'result.json')
    ]
    first = seenet_semi_supervised.main(argv)
    checkpoints = {
        step: os.stat(first['per_seed'][0][step]['checkpoint']).st_mtime_ns
        for step in ('parser', 'seenet', 'cam', 'semi')
    }
    (work / 'seed0' / 'semi.json').unlink()
    second = seenet_semi_supervised.main(argv)
    return work, first, second, checkpoints


COARSE_STEPS = ('seenet', 'cam', 'quality_seenet', 'quality_cam', 'pseudo_labels', 'semi')


def test_pipeline_writes_coarse_pseudo_labels_of_every_tag_only_photo_in_both_vocabularies(two_runs):
    work, first, _, _ = two_runs
    rows = first['per_seed'][0]
    assert set(rows) == {'parser', *COARSE_STEPS, *(f'{step}_fine' for step in COARSE_STEPS)}
    for step in ('pseudo_labels', 'pseudo_labels_fine'):
        out_dir = rows[step]['out_dir']
        assert sorted(os.listdir(out_dir)) == [f'{stem}.png' for stem in TAG_ONLY]
        for stem in TAG_ONLY:
            label = cv2.imread(os.path.join(out_dir, f'{stem}.png'), cv2.IMREAD_UNCHANGED)
            assert label.dtype == np.uint8 and label.shape == PHOTO_SHAPE
            # the fine classifier's attention is folded: its labels are the 8 coarse classes too
            assert set(np.unique(label)) <= set(range(8)) | {255}
        assert rows[step]['num_labels'] == len(TAG_ONLY)
    assert rows['pseudo_labels']['out_dir'] != rows['pseudo_labels_fine']['out_dir']


def test_quality_is_scored_on_val_photos_for_both_classifiers_and_vocabularies(two_runs):
    _, first, _, _ = two_runs
    for step in ('quality_seenet', 'quality_cam', 'quality_seenet_fine', 'quality_cam_fine'):
        quality = first['per_seed'][0][step]
        assert set(quality) == set(seenet_semi_supervised.PSEUDO_METRICS)
        assert all(0 <= value <= 100 for value in quality.values())
    fine_classifier = first['per_seed'][0]['seenet_fine']['config']
    assert 'ccp-fine-tags' in fine_classifier


def test_gain_is_semi_minus_pixel_labels_only(two_runs):
    work, first, _, _ = two_runs
    rows = first['per_seed'][0]
    for vocabulary, semi in (('coarse', 'semi'), ('fine', 'semi_fine')):
        assert first['summary'][vocabulary]['gain_per_seed'] == [rows[semi]['mIoU'] - rows['parser']['mIoU']]
    assert json.loads((work / 'result.json').read_text())['summary'] == first['summary']


def test_one_vocabulary_runs_its_steps_only(ccp_release, tmp_path):
    result = seenet_semi_supervised.main([
        '--ccp-root',
        str(ccp_release), '--seeds', '0', '--parser-iters', '1', '--classifier-iters', '1', '--work-dir',
        str(tmp_path), '--vocabularies', 'fine'
    ])
    assert set(result['per_seed'][0]) == {'parser', *(f'{step}_fine' for step in COARSE_STEPS)}
    assert set(result['summary']) == {'fine'}


def test_a_rerun_repeats_only_the_steps_without_a_record(two_runs):
    _, first, second, checkpoints = two_runs
    for step in ('parser', 'seenet', 'cam'):
        assert second['per_seed'][0][step] == first['per_seed'][0][step]
        assert os.stat(first['per_seed'][0][step]['checkpoint']).st_mtime_ns == checkpoints[step]
    assert os.stat(second['per_seed'][0]['semi']['checkpoint']).st_mtime_ns != checkpoints['semi']


def test_a_release_without_image_level_tags_is_refused(tmp_path, capsys):
    with pytest.raises(SystemExit) as error:
        seenet_semi_supervised.parse_args(['--ccp-root', str(tmp_path)])
    assert error.value.code == 2
    assert 'no annotations/image-level/' in capsys.readouterr().err
