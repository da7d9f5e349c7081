"""mmseg_mman.benchmarks.gpu_check (CLI tools/benchmarks/gpu_check.py): the time box, failing and dependent
steps, the plan of the GPU run, and a dry run of the tools end to end; train_cost's AMP loss-scale monitor."""
import json
import math
import os.path as osp
import sys
import time

import pytest
import torch
import torch.nn as nn
from conftest import run_tool
from mmengine.optim import AmpOptimWrapper, OptimWrapper, OptimWrapperDict
from mmengine.optim.optimizer import amp_optimizer_wrapper

from mmseg_mman.benchmarks import gpu_check, train_cost
from mmseg_mman.benchmarks.gpu_check import CheckRun, Plan, Step

PY = sys.executable
ALL_STEPS = [
    'environment', 'data', 'train', 'resume', 'test', 'infer', 'onnx_export', 'onnx_runtime', 'ddp',
    'train_cost_b1_fp32', 'train_cost_b1_amp', 'train_cost_b2_fp32', 'train_cost_b2_amp', 'inference_cost'
]


def python_step(name, code, timeout_s=60, **kwargs) -> Step:
    return Step(name, f'python {name}', [PY, '-c', code], timeout_s, **kwargs)


# ------------------------------------------------------------------------------------- the runner


def test_a_step_over_its_time_box_is_stopped_with_its_children_and_the_next_step_runs(tmp_path):
    marker = tmp_path / 'child_survived'
    child = tmp_path / 'child.py'
    child.write_text(f'import time\ntime.sleep(3)\nopen({str(marker)!r}, "w").close()\n')
    # The child outlives the step's timeout unless the whole process group is killed (torchrun's case).
    slow = python_step(
        'slow', f'import subprocess, sys, time; subprocess.Popen([sys.executable, {str(child)!r}]); '
        'print("started", flush=True); time.sleep(60)',
        timeout_s=1)
    fast = python_step('fast', 'print("fine")', parse=lambda: dict(value=7))
    run = CheckRun(str(tmp_path), dry_run=False, budget_s=100)
    start = time.monotonic()
    records = gpu_check.run_steps([slow, fast], run)
    assert time.monotonic() - start < 30
    assert [r['status'] for r in records] == ['timeout', 'ok']
    assert records[0]['returncode'] is None and 'after 1 s (its time box)' in records[0]['error']
    assert 'started' in records[0]['error']  # the log's tail
    assert records[1]['numbers'] == dict(value=7)
    time.sleep(4)
    assert not marker.exists()


def test_a_failing_step_is_recorded_its_dependents_skipped_and_the_others_run(tmp_path):
    steps = [
        python_step('fails', 'import sys; print("boom"); sys.exit(3)'),
        python_step('needs_it', 'print(1)', requires=['fails']),
        python_step('bad_output', 'print(1)', parse=lambda: json.load(open('/nonexistent.json'))),
        python_step('no_provider', 'print(1)', parse=lambda: dict(skipped='no CUDA provider', version=1)),
        python_step('independent', 'print(1)'),
    ]
    run = CheckRun(str(tmp_path), dry_run=True, budget_s=100)
    records = {r['name']: r for r in gpu_check.run_steps(steps, run)}
    assert records['fails']['status'] == 'failed' and records['fails']['returncode'] == 3
    assert records['fails']['error'].startswith('exit status 3') and 'boom' in records['fails']['error']
    assert records['needs_it']['status'] == 'skipped' and 'needs fails' in records['needs_it']['error']
    assert records['bad_output']['status'] == 'failed'
    assert 'output not as expected: FileNotFoundError' in records['bad_output']['error']
    assert records['no_provider']['status'] == 'skipped'
    assert (records['no_provider']['error'], records['no_provider']['numbers']) == ('no CUDA provider', {
        'version': 1
    })
    assert records['independent']['status'] == 'dry-run'
    gpu_check.write_report(run)
    data = json.load(open(tmp_path / 'gpu_check.json'))
    assert data['passed'] is False
    assert data['counts'] == {'ok': 0, 'dry-run': 1, 'skipped': 2, 'failed': 2, 'timeout': 0}
    summary = (tmp_path / 'summary.md').read_text()
    assert 'Result: **FAILED** (1 dry-run, 2 skipped, 2 failed)' in summary
    assert '## fails: failed' in summary and 'boom' in summary and 'Full output: logs/fails.log' in summary
    assert (tmp_path / 'logs' / 'fails.log').read_text().splitlines()[1] == 'boom'


def test_the_total_budget_cuts_the_step_that_runs_and_times_out_the_rest(tmp_path):
    steps = [
        python_step('long', 'import time; time.sleep(60)', timeout_s=30),
        python_step('later', 'print(1)')
    ]
    records = gpu_check.run_steps(steps, CheckRun(str(tmp_path), dry_run=False, budget_s=2))
    assert [r['status'] for r in records] == ['timeout', 'timeout']
    assert 'the rest of the total budget' in records[0]['error'] and records[0]['seconds'] < 10
    assert records[1]['error'] == 'no time left of the total budget'


def test_loss_scales_and_skipped_steps_follow_from_an_amp_checkpoint(tmp_path):
    scaler = dict(
        scale=2.0**14, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000, _growth_tracker=3)
    path = str(tmp_path / 'iter_50.pth')
    torch.save(
        dict(
            meta=dict(iter=50),
            optimizer=dict(
                generator=dict(state={}, param_groups=[], loss_scaler=scaler),
                discriminator=dict(state={}, param_groups=[], loss_scaler=dict(scaler, scale=2.0**16)))),
        path)
    assert gpu_check.checkpoint_loss_scales(path) == {
        'loss_scale.generator': 2.0**14,
        'skipped.generator': 2,
        'loss_scale.discriminator': 2.0**16,
        'skipped.discriminator': 0
    }


# --------------------------------------------------------------------------------------- the plan


def test_the_plan_has_every_step_and_the_gpu_run_uses_cuda_amp_and_nccl(tmp_path):
    cuda = {step.name: step for step in Plan(str(tmp_path), dry_run=False, gpus=2).steps()}
    dry = {step.name: step for step in Plan(str(tmp_path), dry_run=True).steps()}
    assert list(cuda) == list(dry)[:9] + [
        'train_cost_b1_fp32', 'train_cost_b1_amp', 'train_cost_b8_fp32', 'train_cost_b8_amp', 'inference_cost'
    ]
    assert list(dry) == ALL_STEPS
    for name in ('train', 'resume', 'train_cost_b1_amp', 'train_cost_b8_amp'):
        assert '--amp' in cuda[name].command
    for name in ('train', 'resume', 'train_cost_b1_amp', 'train_cost_b2_amp'):
        assert '--amp' not in dry[name].command and 'AmpOptimWrapper' in dry[name].note
    assert '--amp' not in cuda['train_cost_b8_fp32'].command
    for name in ('train_cost_b1_fp32', 'train_cost_b8_amp', 'inference_cost'):
        command = ' '.join(cuda[name].command)
        assert '--device cuda --preset r101' in command
    assert '--size 256' in ' '.join(cuda['train_cost_b8_amp'].command)
    assert 'train_cfg.max_iters=50' in cuda['train'].command and 'train_cfg.max_iters=60' in cuda[
        'resume'].command
    assert 'env_cfg.dist_cfg.backend=nccl' in cuda['ddp'].command and '2' in cuda['ddp'].command
    assert 'env_cfg.dist_cfg.backend=gloo' in dry['ddp'].command
    assert cuda['infer'].command[cuda['infer'].command.index('--device') + 1] == 'cuda'
    assert cuda['onnx_runtime'].command[-1] == 'cuda' and dry['onnx_runtime'].command[-1] == 'cpu'
    assert cuda['resume'].requires == ['train'] and cuda['onnx_runtime'].requires == ['onnx_export']
    assert sum(gpu_check.TIMEOUTS_S.values()) > gpu_check.DEFAULT_BUDGET_S  # the budget is what bounds
    assert gpu_check.DEFAULT_BUDGET_S < 8 * 60
    env = Plan(str(tmp_path), dry_run=True).env()
    assert env['CUDA_VISIBLE_DEVICES'] == '' and env['PATH'].startswith(osp.dirname(PY))


def test_a_gpu_run_without_cuda_and_unknown_steps_are_refused_before_any_step(tmp_path):
    if torch.cuda.is_available():
        pytest.skip('this machine has CUDA')
    with pytest.raises(SystemExit, match='sees no CUDA device.*use --dry-run'):
        gpu_check.main([str(tmp_path / 'out')])
    with pytest.raises(SystemExit, match=r"unknown steps \['trian'\]"):
        gpu_check.main([str(tmp_path / 'out'), '--dry-run', '--steps', 'train', 'trian'])
    assert not (tmp_path / 'out' / 'gpu_check.json').exists()
    (tmp_path / 'out' / 'gpu_check.json').write_text('{}')
    with pytest.raises(SystemExit, match='holds an earlier check'):
        gpu_check.main([str(tmp_path / 'out'), '--dry-run'])
    (tmp_path / 'file').write_text('')
    with pytest.raises(SystemExit, match='cannot write into'):
        gpu_check.main([str(tmp_path / 'file'), '--dry-run'])


# ------------------------------------------------------------------------------------ the dry run

#: The part of the dry run that this test runs (the whole dry run takes about 5 minutes on 2 busy cores).
DRY_RUN_STEPS = ['environment', 'data', 'train', 'resume', 'test', 'train_cost_b1_amp']


def test_dry_run_of_the_tools_writes_the_json_and_the_summary(tmp_path):
    out = tmp_path / 'check'
    proc = run_tool('benchmarks/gpu_check.py', str(out), '--dry-run', '--steps', *DRY_RUN_STEPS)
    summary = (out / 'summary.md').read_text() if (out / 'summary.md').exists() else ''
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:] + summary
    data = json.load(open(out / 'gpu_check.json'))
    assert data['mode'] == 'dry-run (CPU, tiny sizes)' and data['passed'] is True
    steps = {record['name']: record for record in data['steps']}
    assert list(steps) == DRY_RUN_STEPS
    assert {record['status'] for record in data['steps']} == {'dry-run'}
    assert all(record['returncode'] == 0 and record['seconds'] > 0 for record in data['steps'])
    assert steps['environment']['numbers']['torch'] == torch.__version__
    assert steps['environment']['numbers']['gpus'] == 0  # CUDA hidden from the dry run
    assert steps['data']['numbers'] == dict(train=4, val=2)
    train, resume = steps['train']['numbers'], steps['resume']['numbers']
    assert (train['first_logged_iter'], train['last_iter']) == (1, 2)
    assert math.isfinite(train['loss']) and train['loss'] > 0 and 0 <= train['mIoU'] <= 100
    assert {'adv.loss_macro', 'adv.loss_micro', 'disc_loss'} <= set(train)
    assert (resume['first_logged_iter'], resume['last_iter'], resume['checkpoint_iter']) == (3, 3, 3)
    assert set(steps['test']['numbers']) == {'mIoU', 'aAcc', 'mIoU_low', 'IPR'}
    cost = steps['train_cost_b1_amp']['numbers']
    assert cost['s_per_iter'] > 0 and cost['it_per_s'] == pytest.approx(1 / cost['s_per_iter'])
    assert cost['x_baseline'] > 0 and 'AmpOptimWrapper' in steps['train_cost_b1_amp']['note']
    assert '--amp' not in steps['train_cost_b1_amp']['command']
    assert 'Mode: dry-run (CPU, tiny sizes).' in summary and 'Result: **passed** (6 dry-run)' in summary
    for name in DRY_RUN_STEPS:
        assert f'| {name} ' in summary
    assert '## Training cost (train_cost.py, medians)' in summary
    assert summary.count('| train_cost_b1_amp ') == 4  # the step row and one row per model
    assert (out / 'logs' / 'train.log').exists() and (out / 'train' / 'iter_3.pth').exists()


# ----------------------------------------------------------------------------- train_cost --amp


def test_train_cost_amp_needs_cuda():
    with pytest.raises(SystemExit):
        train_cost.parse_args(['--amp'])
    assert train_cost.parse_args(['--amp', '--device', 'cuda']).amp


def test_loss_scale_monitor_counts_the_steps_the_scaler_skipped(monkeypatch):
    # mmengine's AmpOptimWrapper refuses a machine without CUDA; torch's CPU GradScaler stands in.
    monkeypatch.setattr(amp_optimizer_wrapper, 'is_cuda_available', lambda: True)
    model = nn.Linear(3, 1)
    amp = AmpOptimWrapper(optimizer=torch.optim.SGD(model.parameters(), lr=0.1))
    amp.loss_scaler = torch.amp.GradScaler('cpu', init_scale=8.0)
    plain = OptimWrapper(optimizer=torch.optim.SGD(nn.Linear(1, 1).parameters(), lr=0.1))
    monitor = train_cost.LossScaleMonitor(OptimWrapperDict(generator=amp, discriminator=plain))
    weight = model.weight.detach().clone()
    amp.update_params(model(torch.ones(2, 3)).sum())
    assert not torch.equal(model.weight, weight)
    weight = model.weight.detach().clone()
    amp.update_params((model.weight * float('inf')).sum())  # inf gradients: the step is skipped
    assert torch.equal(model.weight, weight)
    assert monitor.report() == {'generator': dict(loss_scale=4.0, steps=2, skipped_steps=1)}
