"""CheckpointFitHook: a checkpoint of another class count is refused before its weights are loaded."""
import os.path as osp

import pytest
from conftest import tiny_runner_cfg
from mmengine.config import Config
from mmengine.runner import Runner

from mmseg_mman.models.utils import CheckpointMismatchError
from mmseg_mman.utils import trusted_checkpoints


@pytest.fixture(scope='module')
def twenty_class_run(synthetic_lip, tmp_path_factory):
    work_dir = str(tmp_path_factory.mktemp('twenty_classes'))
    Runner.from_cfg(Config(tiny_runner_cfg(synthetic_lip, work_dir, max_iters=2))).train()
    return osp.join(work_dir, 'iter_2.pth')


def eight_class_runner(data_root, work_dir, checkpoint, resume, **hook_args):
    cfg = Config(tiny_runner_cfg(data_root, work_dir, max_iters=4))
    cfg.model.decode_head.num_classes = 8
    cfg.model.test_cfg.flip_pairs = None
    cfg.custom_hooks = [dict(type='CheckpointFitHook', **hook_args)]
    cfg.load_from, cfg.resume = checkpoint, resume
    cfg.dump(osp.join(work_dir, 'eight_classes.py'))
    return Runner.from_cfg(Config.fromfile(osp.join(work_dir, 'eight_classes.py')))


@pytest.mark.parametrize('resume', [False, True])
def test_another_class_count_is_refused_naming_both_files_and_counts(synthetic_lip, twenty_class_run,
                                                                     tmp_path, resume):
    runner = eight_class_runner(synthetic_lip, str(tmp_path), twenty_class_run, resume)
    config = str(tmp_path / 'eight_classes.py')
    with trusted_checkpoints(twenty_class_run), pytest.raises(CheckpointMismatchError) as error:
        runner.train()  # load_from or resume, before the first iteration (and before Adam)
    assert str(error.value).startswith(f'{twenty_class_run} predicts 20 classes (decode_head.')
    assert f'{config} builds a model with num_classes=8' in str(error.value)
    assert runner.iter == 0


def test_fine_tuning_on_another_label_set_can_be_allowed_but_resuming_cannot(synthetic_lip, twenty_class_run,
                                                                             tmp_path):
    (tmp_path / 'fine_tune').mkdir()
    (tmp_path / 'resume').mkdir()
    runner = eight_class_runner(
        synthetic_lip, str(tmp_path / 'fine_tune'), twenty_class_run, False, check_load_from=False)
    assert 'mIoU' in runner.val()  # loaded (the classifier left at its initialisation), evaluated
    runner = eight_class_runner(
        synthetic_lip, str(tmp_path / 'resume'), twenty_class_run, True, check_load_from=False)
    with trusted_checkpoints(twenty_class_run), pytest.raises(CheckpointMismatchError, match='predicts 20'):
        runner.train()
