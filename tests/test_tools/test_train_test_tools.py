"""tools/train.py then tools/test.py, end to end, on generated LIP-layout data with the demo config."""
import glob
import json
import os.path as osp

import pytest
import torch
from conftest import run_tool

CONFIG = 'configs/demo/mman_r18-d16_1xb8-0.4k_synthetic-lip-64x64.py'


def data_options(data_root):
    return [
        f'{loader}.dataset.data_root={data_root}'
        for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader')
    ]


@pytest.fixture(scope='module')
def trained(synthetic_lip, tmp_path_factory):
    work_dir = str(tmp_path_factory.mktemp('train'))
    proc = run_tool('train.py', CONFIG, '--work-dir', work_dir, '--cfg-options', *data_options(synthetic_lip),
                    'train_dataloader.batch_size=2', 'train_cfg.max_iters=2', 'train_cfg.val_interval=2',
                    'default_hooks.checkpoint.interval=2', 'default_hooks.logger.interval=1')
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return synthetic_lip, work_dir


def test_train_writes_a_checkpoint_with_generator_and_discriminators(trained):
    _, work_dir = trained
    ckpt = torch.load(osp.join(work_dir, 'iter_2.pth'), map_location='cpu', weights_only=False)
    assert any(k.startswith('discriminators.macro.') for k in ckpt['state_dict'])
    assert set(ckpt['optimizer']) == {'generator', 'discriminator'}
    scalars = glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json'))
    logged = set().union(*(json.loads(line) for line in open(scalars[0])))
    assert {
        'adv.loss_macro', 'adv.loss_micro', 'disc_macro.score_real', 'disc_micro.score_fake', 'mIoU',
        'mIoU_low', 'IPR'
    } <= logged


def test_test_tool_evaluates_the_trained_checkpoint(trained, tmp_path):
    data_root, work_dir = trained
    out_dir = tmp_path / 'pred'
    proc = run_tool('test.py', CONFIG, osp.join(work_dir, 'iter_2.pth'), '--trust-checkpoint', '--work-dir',
                    str(tmp_path), '--out', str(out_dir), '--cfg-options', *data_options(data_root))
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert 'mIoU' in proc.stdout + proc.stderr
    assert len(list(out_dir.glob('*.png'))) == 4  # one index PNG per validation image


def test_test_tool_runs_flip_aware_multi_scale_tta(trained, tmp_path):
    data_root, work_dir = trained
    proc = run_tool('test.py', CONFIG, osp.join(work_dir, 'iter_2.pth'), '--trust-checkpoint', '--tta',
                    '--work-dir', str(tmp_path), '--cfg-options', *data_options(data_root))
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert 'mIoU' in proc.stdout + proc.stderr


def test_untrusted_training_checkpoint_is_refused_naming_the_file(trained, tmp_path):
    data_root, work_dir = trained
    ckpt = osp.join(work_dir, 'iter_2.pth')
    proc = run_tool('test.py', CONFIG, ckpt, '--work-dir', str(tmp_path), '--cfg-options',
                    *data_options(data_root))
    assert proc.returncode != 0
    assert ckpt in proc.stderr and '--trust-checkpoint' in proc.stderr


def test_resume_from_the_work_dir(trained, tmp_path):
    data_root, work_dir = trained
    proc = run_tool('train.py', CONFIG, '--work-dir', work_dir, '--resume', '--cfg-options',
                    *data_options(data_root), 'train_dataloader.batch_size=2', 'train_cfg.max_iters=3',
                    'train_cfg.val_interval=3', 'default_hooks.checkpoint.interval=1')
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert torch.load(osp.join(work_dir, 'iter_3.pth'), weights_only=False)['meta']['iter'] == 3
