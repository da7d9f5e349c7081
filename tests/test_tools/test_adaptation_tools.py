"""tools/train.py (4 iterations, exact resume) and the adaptation demo, end to end on a tiny synthetic
two-domain task with the demo config."""
import glob
import json
import os
import os.path as osp

import pytest
import torch
from conftest import run_script, run_tool

from mmseg_mman.synthetic import generate_synthetic_domains

CONFIG = 'configs/demo/adaptsegnet_r18-d4_1xb8-1k_synthetic-domains-32x32.py'


def train(data_root, work_dir, *extra):
    roots = [
        f'{key}.data_root={data_root}'
        for key in ('train_dataloader.dataset.source', 'train_dataloader.dataset.target',
                    'val_dataloader.dataset', 'test_dataloader.dataset')
    ]
    proc = run_tool('train.py', CONFIG, '--work-dir', work_dir, *extra, '--cfg-options', *roots,
                    'train_dataloader.batch_size=2', 'train_cfg.max_iters=4', 'train_cfg.val_interval=4',
                    'default_hooks.checkpoint.interval=2', 'default_hooks.checkpoint.max_keep_ckpts=2',
                    'default_hooks.logger.interval=1')
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


def load(path):
    return torch.load(path, map_location='cpu', weights_only=False)  # our own training checkpoints


@pytest.fixture(scope='module')
def data_root(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('synthetic_domains'))
    generate_synthetic_domains(root, num_train=8, num_val=4, img_size=32, seed=0)
    return root


@pytest.fixture(scope='module')
def trained(data_root, tmp_path_factory):
    work_dir = str(tmp_path_factory.mktemp('full'))
    train(data_root, work_dir)
    return work_dir


def test_train_writes_generator_and_discriminators_and_logs_both(trained):
    ckpt = load(osp.join(trained, 'iter_4.pth'))
    assert any(k.startswith('discriminators.aux.') for k in ckpt['state_dict'])
    assert any(k.startswith('auxiliary_head.') for k in ckpt['state_dict'])
    assert set(ckpt['optimizer']) == {'generator', 'discriminator'}
    scalars = glob.glob(osp.join(trained, '*', 'vis_data', 'scalars.json'))
    logged = set().union(*(json.loads(line) for line in open(scalars[0])))
    assert {
        'decode.loss_ce', 'aux.loss_ce', 'adv.loss_aux', 'adv.loss_main', 'disc_main.score_real',
        'disc_aux.score_fake', 'mIoU'
    } <= logged


def test_resumed_run_ends_with_exactly_the_weights_of_the_uninterrupted_one(trained, data_root, tmp_path):
    """The target images drawn after the resume are the same too (the loop replays the batches)."""
    train(data_root, str(tmp_path), '--resume', osp.join(trained, 'iter_2.pth'))
    full, resumed = load(osp.join(trained, 'iter_4.pth')), load(tmp_path / 'iter_4.pth')
    assert resumed['meta']['iter'] == 4
    for key, value in full['state_dict'].items():
        torch.testing.assert_close(resumed['state_dict'][key], value, rtol=0, atol=0, msg=key)
    halfway = load(osp.join(trained, 'iter_2.pth'))
    assert any(not torch.equal(halfway['state_dict'][k], v) for k, v in full['state_dict'].items()
               if k.startswith('discriminators.'))


def test_demo_trains_both_models_and_prints_target_and_source_miou(tmp_path):
    proc = run_script('demo/adaptation_demo.py', '--work-dir', str(tmp_path / 'demo'), '--data-root',
                      str(tmp_path / 'data'), '--iters', '2', '--seeds', '0', '--num-train', '8', '--num-val',
                      '4')
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert 'target mIoU' in proc.stdout and 'gain of adaptation on the target' in proc.stdout
    results = json.load(open(tmp_path / 'demo' / 'results.json'))
    assert set(results['0']) == {'source-only', 'adapted'}
    for row in results['0'].values():
        assert 0 <= row['target mIoU'] <= 100 and 0 <= row['source mIoU'] <= 100
    assert len(os.listdir(tmp_path / 'data' / 'target' / 'img_dir' / 'train')) == 8
