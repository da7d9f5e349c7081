import os.path as osp

import cv2
import numpy as np
import pytest
from conftest import run_tool

from mmseg_mman.synthetic.weak import (BODY, BODY_GREY, BODY_TINT, HEAD, HEAD_COLOURS,
                                       generate_synthetic_weak, generate_weak_sample, image_tags,
                                       weak_samples, written_with)


def test_objects_have_a_small_discriminative_head_and_a_large_body():
    heads, bodies = 0, 0
    for image, label, parts in weak_samples(20, 64, 4, seed=0):
        assert set(np.unique(parts)) <= {0, BODY, HEAD}
        assert ((label > 0) == (parts > 0)).all()  # both parts carry the object's class
        heads += (parts == HEAD).sum()
        bodies += (parts == BODY).sum()
        for cls in image_tags(label):
            head = (parts == HEAD) & (label == cls)
            body = (parts == BODY) & (label == cls)
            head_mean, body_mean = image[head].mean(0), image[body].mean(0)
            colour = HEAD_COLOURS[cls - 1]
            # The head is near its class colour; the body is much closer to grey.
            assert np.abs(head_mean - colour).max() < 25
            assert np.abs(body_mean - colour).mean() > 3 * np.abs(head_mean - colour).mean()
    assert 10 < bodies / heads < 40


def test_samples_are_seeded_and_independent_of_the_split_size():
    first = [label for _, label, _ in weak_samples(3, 64, 4, seed=1)]
    again = [label for _, label, _ in weak_samples(5, 64, 4, seed=1)]
    other = [label for _, label, _ in weak_samples(3, 64, 4, seed=2)]
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    assert not all(np.array_equal(a, b) for a, b in zip(first, other))


@pytest.mark.parametrize('kwargs, match', [(dict(size=16), 'img_size=16'),
                                           (dict(num_classes=9), 'num_classes=9'),
                                           (dict(max_objects=0), 'max_objects=0'),
                                           (dict(body_tint=-0.1), 'body_tint=-0.1')])
def test_bad_arguments(kwargs, match):
    args = dict(size=64, num_classes=4)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        generate_weak_sample(np.random.default_rng(0), **args)


def test_several_objects_of_different_classes_never_overlap():
    counts = []
    for _, label, parts in weak_samples(30, 64, 4, seed=0):
        counts.append(len(image_tags(label)))
        # every object keeps its one head: none was painted over another
        for cls in image_tags(label):
            head = ((parts == HEAD) & (label == cls)).astype(np.uint8)
            assert cv2.connectedComponents(head)[0] == 2  # background + one head
    assert set(counts) == {1, 2}  # max_objects=2 by default


def test_body_tint_sets_how_much_the_body_tells_of_the_class():

    def body_shift(tint):
        shifts = []
        for image, label, parts in weak_samples(10, 64, 4, seed=0, body_tint=tint):
            cls = image_tags(label)[0]
            shifts.append(image[(parts == BODY) & (label == cls)].mean(0) - BODY_GREY)
        return np.abs(np.mean(shifts, axis=0)).max()

    assert body_shift(0.0) < 2  # pixel noise only
    assert body_shift(0.3) > 15


def test_written_tree_and_tag_file_match_the_labels(tmp_path):
    result = generate_synthetic_weak(str(tmp_path), num_train=4, num_val=2, img_size=32, seed=0)
    lines = open(result['train']['tag_file']).read().splitlines()
    assert len(lines) == 4
    for line in lines:
        stem, *tags = line.split()
        label = cv2.imread(osp.join(result['train']['ann_dir'], stem + '.png'), cv2.IMREAD_UNCHANGED)
        image = cv2.imread(osp.join(result['train']['img_dir'], stem + '.png'))
        assert image.shape == (32, 32, 3) and label.dtype == np.uint8
        assert tuple(map(int, tags)) == image_tags(label) and tags
    assert written_with(str(tmp_path)) == dict(
        num_train=4, num_val=2, img_size=32, num_classes=4, seed=0, max_objects=2, body_tint=BODY_TINT)
    with pytest.raises(FileExistsError, match='not empty'):
        generate_synthetic_weak(str(tmp_path), num_train=4, num_val=2, img_size=32)


def test_cli_writes_the_tree(tmp_path):
    proc = run_tool(
        osp.join('misc', 'make_synthetic_weak.py'), str(tmp_path), '--num-train', '2', '--num-val', '1',
        '--size', '32')
    assert proc.returncode == 0, proc.stderr
    assert 'train: 2 images' in proc.stdout
    assert osp.isfile(osp.join(tmp_path, 'tags', 'val.txt'))
