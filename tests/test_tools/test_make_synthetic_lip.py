import os
import os.path as osp
import runpy

import pytest

SCRIPT = osp.join(osp.dirname(__file__), '..', '..', 'tools', 'misc', 'make_synthetic_lip.py')


@pytest.fixture(scope='module')
def cli():
    return runpy.run_path(SCRIPT)


def test_cli_writes_and_reports(cli, tmp_path, capsys):
    out_dir = str(tmp_path / 'lip')
    result = cli['main']([out_dir, '--num-train', '3', '--num-val', '2', '--size', '40', '--seed', '5'])
    printed = capsys.readouterr().out
    assert len(os.listdir(osp.join(out_dir, 'train_images'))) == 3
    assert len(os.listdir(osp.join(out_dir, 'val_segmentations'))) == 2
    assert f'train: 3 images in {osp.join(result["out_dir"], "train_images")}' in printed
    assert 'val: 2 images' in printed
    assert ' 0 Background     3 / 2' in printed


def test_cli_needs_overwrite_for_existing_dataset(cli, tmp_path):
    out_dir = str(tmp_path)
    cli['main']([out_dir, '--num-train', '2', '--num-val', '1', '--size', '32'])
    with pytest.raises(FileExistsError, match='--overwrite'):
        cli['main']([out_dir, '--num-train', '1', '--num-val', '1', '--size', '32'])
    cli['main']([out_dir, '--num-train', '1', '--num-val', '1', '--size', '32', '--overwrite'])
    assert os.listdir(osp.join(out_dir, 'train_images')) == ['synth_train_000000.jpg']
