"""SafeCheckpointHook: a crash during a save loses nothing; --resume continues to the same weights."""
import os
import os.path as osp
import signal
import subprocess
import sys

import pytest
import torch
from conftest import REPO_ROOT, run_tool, subprocess_env, tiny_runner_cfg
from mmengine.config import Config
from mmseg.registry import HOOKS

KILLER = osp.join(osp.dirname(osp.abspath(__file__)), 'killed_during_save.py')


def test_an_unknown_argument_fails_when_the_hook_is_built_with_a_suggestion():
    with pytest.raises(TypeError, match=r"unknown argument 'intervl' \(did you mean 'interval'\?\)"):
        HOOKS.build(dict(type='SafeCheckpointHook', intervl=1))


def write_config(tmp_path, data_root, hook_type):
    cfg = Config(tiny_runner_cfg(data_root, str(tmp_path / 'unused'), max_iters=6))
    cfg.default_hooks.checkpoint = dict(type=hook_type, by_epoch=False, interval=2, max_keep_ckpts=1)
    path = str(tmp_path / f'{hook_type}.py')
    cfg.dump(path)
    return path


def train_killed_during_save(config, work_dir, file_suffix):
    proc = subprocess.run([sys.executable, KILLER, config, '--work-dir', work_dir],
                          env=dict(subprocess_env(), KILL_WHILE_WRITING=file_suffix),
                          cwd=REPO_ROOT,
                          capture_output=True,
                          text=True,
                          timeout=600)
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-3000:]


def weights(path):
    return torch.load(path, map_location='cpu', weights_only=False)['state_dict']  # our own run's file


@pytest.fixture(scope='module')
def uninterrupted(synthetic_lip, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp('uninterrupted')
    config = write_config(tmp_path, synthetic_lip, 'SafeCheckpointHook')
    proc = run_tool('train.py', config, '--work-dir', str(tmp_path / 'run'))
    assert proc.returncode == 0, proc.stderr[-3000:]
    return weights(tmp_path / 'run' / 'iter_6.pth')


def test_killed_during_a_save_resumes_to_the_weights_of_an_uninterrupted_run(synthetic_lip, tmp_path,
                                                                             uninterrupted):
    config, work_dir = write_config(tmp_path, synthetic_lip, 'SafeCheckpointHook'), str(tmp_path / 'run')
    train_killed_during_save(config, work_dir, 'iter_4.pth.tmp')
    assert sorted(os.listdir(work_dir)).count('iter_2.pth') == 1  # kept until its successor is complete
    assert not osp.exists(osp.join(work_dir, 'iter_4.pth'))
    with open(osp.join(work_dir, 'last_checkpoint')) as f:
        assert f.read() == osp.join(work_dir, 'iter_2.pth')

    proc = run_tool('train.py', config, '--work-dir', work_dir, '--resume')
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert 'iter_4.pth.tmp, left by a save that did not finish' in proc.stdout + proc.stderr
    assert sorted(name for name in os.listdir(work_dir) if name.endswith(('.pth', '.tmp'))) == ['iter_6.pth']
    for key, value in uninterrupted.items():
        torch.testing.assert_close(
            weights(osp.join(work_dir, 'iter_6.pth'))[key], value, rtol=0, atol=0, msg=key)


def test_mmengines_hook_killed_during_the_same_save_leaves_nothing_to_resume(synthetic_lip, tmp_path):
    """The case the hook exists for, replayed with mmengine's own CheckpointHook."""
    config, work_dir = write_config(tmp_path, synthetic_lip, 'CheckpointHook'), str(tmp_path / 'run')
    train_killed_during_save(config, work_dir, 'iter_4.pth')
    assert not osp.exists(osp.join(work_dir, 'iter_2.pth'))  # removed before iter_4.pth was written
    proc = run_tool('train.py', config, '--work-dir', work_dir, '--resume')
    assert proc.returncode != 0
    assert 'no complete checkpoint in' in proc.stderr and 'iter_4.pth' in proc.stderr
