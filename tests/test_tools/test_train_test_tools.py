"""tools/train.py then tools/test.py, end to end, on generated LIP-layout data with the demo config."""
import glob
import json
import os.path as osp
import re

import mmseg
import pytest
import torch
from conftest import run_script, run_tool

CONFIG = 'configs/demo/mman_r18-d16_1xb8-0.4k_synthetic-lip-64x64.py'
MMSEG_TEST_TOOL = osp.join(osp.dirname(mmseg.__file__), '.mim', 'tools', 'test.py')


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
    # mmseg's habit: the training checkpoint as it is, no flag (its weights are read, nothing executed)
    proc = run_tool('test.py', CONFIG, osp.join(work_dir, 'iter_2.pth'), '--work-dir', str(tmp_path), '--out',
                    str(out_dir), '--cfg-options', *data_options(data_root))
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert 'not read: message_hub (1 types)' in proc.stdout + proc.stderr  # what was left unread
    assert len(list(out_dir.glob('*.png'))) == 4  # one index PNG per validation image
    assert miou(proc) == miou(
        run_script(MMSEG_TEST_TOOL, CONFIG, osp.join(work_dir, 'iter_2.pth'), '--work-dir',
                   str(tmp_path / 'mmseg'), '--cfg-options',
                   *data_options(data_root)))  # mmseg's own tools/test.py, same numbers


def miou(proc):
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return float(re.findall(r'mIoU: ([\d.]+)', proc.stdout + proc.stderr)[-1])


def test_test_tool_runs_flip_aware_multi_scale_tta(trained, tmp_path):
    data_root, work_dir = trained
    proc = run_tool('test.py', CONFIG, osp.join(work_dir, 'iter_2.pth'), '--trust-checkpoint', '--tta',
                    '--work-dir', str(tmp_path), '--cfg-options', *data_options(data_root))
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert 'mIoU' in proc.stdout + proc.stderr


def test_a_checkpoint_of_another_class_count_is_refused_naming_both_files(trained, tmp_path):
    data_root, work_dir = trained
    ckpt = osp.join(work_dir, 'iter_2.pth')
    proc = run_tool('test.py', CONFIG, ckpt, '--work-dir', str(tmp_path), '--cfg-options',
                    *data_options(data_root), 'model.decode_head.num_classes=8',
                    'model.test_cfg.flip_pairs=None')
    assert proc.returncode == 2
    assert f'tools/test.py: error: {ckpt} predicts 20 classes' in proc.stderr
    assert f'but {CONFIG} builds a model with num_classes=8' in proc.stderr
    assert 'Traceback' not in proc.stderr


def test_resume_from_the_work_dir(trained, tmp_path):
    data_root, work_dir = trained
    proc = run_tool('train.py', CONFIG, '--work-dir', work_dir, '--resume', '--cfg-options',
                    *data_options(data_root), 'train_dataloader.batch_size=2', 'train_cfg.max_iters=3',
                    'train_cfg.val_interval=3', 'default_hooks.checkpoint.interval=1')
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert torch.load(osp.join(work_dir, 'iter_3.pth'), weights_only=False)['meta']['iter'] == 3
