"""tools/misc/make_synthetic_lip.py, run as a user runs it."""
import os
import os.path as osp

import pytest
from conftest import tool_cli


@pytest.fixture(scope='module')
def cli():
    return tool_cli(osp.join('misc', 'make_synthetic_lip.py'))


def test_cli_writes_and_reports(cli, tmp_path, capsys):
    out_dir = str(tmp_path / 'lip')
    assert cli([out_dir, '--num-train', '3', '--num-val', '2', '--size', '40', '--seed', '5']) == 0
    printed = capsys.readouterr().out
    assert len(os.listdir(osp.join(out_dir, 'train_images'))) == 3
    assert len(os.listdir(osp.join(out_dir, 'val_segmentations'))) == 2
    assert f'train: 3 images in {osp.join(out_dir, "train_images")}' in printed
    assert 'val: 2 images' in printed
    assert ' 0 Background     3 / 2' in printed


def test_cli_needs_overwrite_for_existing_dataset(cli, tmp_path, capsys):
    out_dir = str(tmp_path)
    assert cli([out_dir, '--num-train', '2', '--num-val', '1', '--size', '32']) == 0
    assert cli([out_dir, '--num-train', '1', '--num-val', '1', '--size', '32']) != 0
    error = capsys.readouterr().err
    assert 'FileExistsError' in error and '--overwrite' in error
    assert cli([out_dir, '--num-train', '1', '--num-val', '1', '--size', '32', '--overwrite']) == 0
    assert os.listdir(osp.join(out_dir, 'train_images')) == ['synth_train_000000.jpg']
