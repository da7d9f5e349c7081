import os

import cv2
import numpy as np
import pytest

from mmseg_mman.synthetic.domains import (SOURCE_COLOURS, domain_colours, generate_synthetic_domains,
                                          sample_layout)


def test_layout_prior_bands_top_to_bottom_plus_one_square():
    squares_outside_the_middle = 0
    for seed in range(20):
        label = sample_layout(np.random.default_rng(seed), 32)
        bands = np.array([np.bincount(row, minlength=3).argmax() for row in label])
        assert bands.tolist() == sorted(bands.tolist()) and set(bands.tolist()) == {0, 1, 2}
        ys, xs = np.nonzero((label == 1) & (bands != 1)[:, None])  # class 1 outside its band
        if len(ys):
            squares_outside_the_middle += 1
            assert ys.max() - ys.min() < 4 and xs.max() - xs.min() < 4  # one 4x4 square (32 // 8)
        assert set(np.unique(label[bands == 0])) <= {0, 1} and set(np.unique(label[bands == 2])) <= {1, 2}
    assert squares_outside_the_middle >= 5


def test_each_target_class_looks_most_like_another_source_class():
    target = domain_colours('target')
    nearest = [int(np.argmin(np.linalg.norm(SOURCE_COLOURS - colour, axis=1))) for colour in target]
    assert all(n != c for c, n in enumerate(nearest))


def read(path):
    return cv2.imread(str(path), cv2.IMREAD_UNCHANGED)


def test_files_follow_the_layout_and_the_seed(tmp_path):
    result = generate_synthetic_domains(str(tmp_path / 'a'), num_train=3, num_val=2, img_size=16, seed=1)
    assert result['target']['train']['ann_dir'] is None
    assert not (tmp_path / 'a' / 'target' / 'ann_dir' / 'train').exists()
    image = read(tmp_path / 'a' / 'source' / 'img_dir' / 'val' / '000001.png')
    label = read(tmp_path / 'a' / 'source' / 'ann_dir' / 'val' / '000001.png')
    assert image.shape == (16, 16, 3) and label.shape == (16, 16) and set(np.unique(label)) == {0, 1, 2}
    # the mean colour of each class is the source colour (RGB; OpenCV reads BGR)
    for c in range(3):
        np.testing.assert_allclose(image[label == c][:, ::-1].mean(0), SOURCE_COLOURS[c], atol=25)
    generate_synthetic_domains(str(tmp_path / 'b'), num_train=5, num_val=2, img_size=16, seed=1)
    for rel in ('source/img_dir/train/000002.png', 'target/img_dir/val/000001.png'):
        assert (read(tmp_path / 'a' / rel) == read(tmp_path / 'b' / rel)).all()


def test_existing_files_are_kept_unless_overwrite(tmp_path):
    generate_synthetic_domains(str(tmp_path), num_train=2, num_val=1, img_size=16)
    with pytest.raises(FileExistsError, match='overwrite=True'):
        generate_synthetic_domains(str(tmp_path), num_train=2, num_val=1, img_size=16)
    generate_synthetic_domains(str(tmp_path), num_train=1, num_val=1, img_size=16, overwrite=True)
    assert os.listdir(tmp_path / 'source' / 'img_dir' / 'train') == ['000000.png']
    (tmp_path / 'source' / 'img_dir' / 'val' / 'notes.txt').write_text('mine')
    with pytest.raises(FileExistsError, match='notes.txt'):
        generate_synthetic_domains(str(tmp_path), num_train=1, num_val=1, img_size=16, overwrite=True)
