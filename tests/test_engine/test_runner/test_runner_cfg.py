"""Config changes made by tools/train.py and tools/test.py options (mmseg_mman.engine.runner, no run)."""
import pytest
import torch
from mmengine.config import Config
from mmengine.runner.checkpoint import CheckpointLoader

from mmseg_mman.engine import apply_resume, save_predictions_to, trust_own_checkpoints
from mmseg_mman.engine.runner import runner_cfg
from mmseg_mman.utils import checkpoint as checkpoint_policy
from mmseg_mman.utils import is_trusted_checkpoint


@pytest.fixture(autouse=True)
def isolated_policy(monkeypatch):
    monkeypatch.delenv('TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD', raising=False)
    monkeypatch.setattr(checkpoint_policy, '_trusted_paths', set())
    monkeypatch.setattr(CheckpointLoader, '_schemes', CheckpointLoader._schemes.copy())


@pytest.mark.parametrize('resume, load_from', [('auto', None), ('/runs/a/iter_4.pth', '/runs/a/iter_4.pth')])
def test_resume_option(tmp_path, resume, load_from):
    cfg = Config(dict(load_from='/pretrained.pth', work_dir=str(tmp_path)))  # no checkpoint yet
    apply_resume(cfg, resume)
    assert cfg.resume is True
    assert cfg.load_from == load_from


def save_step_checkpoint(path, step):
    torch.save({'meta': {'iter': step}, 'state_dict': {}}, str(path))


def test_resume_without_path_takes_the_newest_complete_checkpoint_and_names_the_skipped(
        tmp_path, monkeypatch):
    logged = []
    monkeypatch.setattr(runner_cfg, 'print_log', lambda message, **kwargs: logged.append(message))
    for step in (2, 4, 6):
        save_step_checkpoint(tmp_path / f'iter_{step}.pth', step)
    data = (tmp_path / 'iter_6.pth').read_bytes()
    (tmp_path / 'iter_6.pth').write_bytes(data[:len(data) // 2])  # killed during the save
    (tmp_path / 'best_mIoU_iter_8.pth').write_bytes(data)  # never resumed from
    (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'iter_8.pth'))  # deleted since
    cfg = Config(dict(work_dir=str(tmp_path)))
    apply_resume(cfg, 'auto')
    assert cfg.load_from == str(tmp_path / 'iter_4.pth')
    log = '\n'.join(logged)
    assert f'skipping {tmp_path / "iter_8.pth"}: named by last_checkpoint, missing' in log
    assert f'skipping {tmp_path / "iter_6.pth"}: incomplete' in log


def test_resume_without_path_refuses_a_work_dir_of_incomplete_checkpoints_only(tmp_path):
    (tmp_path / 'iter_2.pth').write_bytes(b'PK\x03\x04 cut short')
    with pytest.raises(FileNotFoundError, match='no complete checkpoint in .*iter_2.pth'):
        apply_resume(Config(dict(work_dir=str(tmp_path))), 'auto')


@pytest.mark.parametrize('resume, trust_flag, load_from_trusted', [
    (False, False, False),
    (True, False, True),
    (False, True, True),
])
def test_train_trusts_work_dir_and_resumed_or_flagged_load_from(tmp_path, resume, trust_flag,
                                                                load_from_trusted):
    load_from = str(tmp_path / 'other_run' / 'iter_4.pth')
    cfg = Config(dict(work_dir=str(tmp_path / 'run'), load_from=load_from, resume=resume))
    trust_own_checkpoints(cfg, trust_flag)
    assert is_trusted_checkpoint(str(tmp_path / 'run' / 'iter_8.pth'))
    assert is_trusted_checkpoint(load_from) is load_from_trusted
    assert not is_trusted_checkpoint(str(tmp_path / 'pretrained.pth'))
    assert CheckpointLoader._get_checkpoint_loader(load_from) is (
        checkpoint_policy.load_from_local_with_trust_policy)


def test_out_sets_output_dir_on_metrics_that_take_it():
    cfg = Config(
        dict(test_evaluator=[
            dict(type='IoUMetric', iou_metrics=['mIoU']),
            dict(type='DepthMetric'),
        ]))
    save_predictions_to(cfg, '/tmp/preds')
    iou, depth = cfg.test_evaluator
    assert iou.output_dir == '/tmp/preds' and iou.keep_results is True
    assert depth.output_dir == '/tmp/preds'


def test_out_rejects_evaluator_without_output_dir(monkeypatch):
    from mmengine.evaluator import BaseMetric

    class NoOutputMetric(BaseMetric):

        def __init__(self, collect_device: str = 'cpu') -> None:
            super().__init__(collect_device=collect_device)

    cfg = Config(dict(test_evaluator=dict(type=NoOutputMetric)))
    with pytest.raises(ValueError, match='output_dir'):
        save_predictions_to(cfg, '/tmp/preds')
