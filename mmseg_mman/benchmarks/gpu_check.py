"""Everything CUDA-only in one time-boxed run: AMP training of both optimizers, the ``--device cuda``
benchmarks, training / resuming / testing / inference with the tools, ONNX with onnxruntime's CUDA
provider and DDP with NCCL, each step a subprocess with its own timeout, all of them within one total
budget (default 470 s, under 8 minutes on one GPU).

Every step runs even when an earlier one failed; a step that needs another's output (the checkpoint of
``train``, the ONNX file of ``onnx_export``) is recorded as skipped, naming it, when that one did not
pass. After each step ``OUT_DIR/gpu_check.json`` (every step: status, seconds, exit status, key numbers,
error, command, log) and ``OUT_DIR/summary.md`` (a table of the steps, then the training-cost table)
are rewritten, so a run stopped from outside still leaves what it finished. The output of step S is in
``OUT_DIR/logs/S.log``; what it writes is under ``OUT_DIR/S/``.

Statuses: ``ok``; ``dry-run`` (passed, but on the CPU with tiny sizes: says nothing about CUDA);
``skipped`` (with the reason: onnxruntime has no CUDA provider, a required step did not pass);
``failed`` (non-zero exit status, or output that is not as expected); ``timeout`` (stopped at its
time box, its whole process group killed, or no time left of the budget).

``--dry-run`` walks every step on the CPU (``CUDA_VISIBLE_DEVICES=''``) with tiny sizes: ResNet-18 demo
models, a few iterations, gloo instead of NCCL, onnxruntime's CPU provider, and fp32 where a step
asks for AMP (mmengine's ``AmpOptimWrapper`` needs CUDA); such steps say so in their note.

    python tools/benchmarks/gpu_check.py work_dirs/gpu_check            # on a GPU node
    python tools/benchmarks/gpu_check.py work_dirs/gpu_check --dry-run  # anywhere: 5 min on 2 busy cores
"""
import argparse
import glob
import json
import math
import os
import os.path as osp
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Optional, Sequence

from mmengine.utils import mkdir_or_exist

from mmseg_mman.utils.fileio import check_writable_dir
from .common import REPO_ROOT
from .experiments import markdown_table

OK, DRY_RUN, SKIPPED, FAILED, TIMEOUT = 'ok', 'dry-run', 'skipped', 'failed', 'timeout'
PASSED = (OK, DRY_RUN)
DEFAULT_BUDGET_S = 470
DEMO_CONFIG = 'configs/demo/mman_r18-d16_1xb8-0.4k_synthetic-lip-64x64.py'
TOOLS = osp.join(REPO_ROOT, 'tools')
#: GradScaler's defaults (mmengine's dynamic loss scale): the scale halves at each skipped step and
#: doubles only after 2000 clean ones, so below that many steps the skipped ones follow from the scale.
INIT_LOSS_SCALE = 2.0**16
ONNX_ATOL, ONNX_RTOL = 1e-3, 1e-2
KILL_GRACE_S = 5

# ------------------------------------------------------------------------------------ the runner


@dataclass
class Step:
    """One time-boxed subprocess of the check.

    ``parse`` (called after exit status 0) returns the step's key numbers, or raises when its output
    is not as expected; a ``'skipped'`` entry (the reason) makes the step skipped.
    """
    name: str
    title: str
    command: List[str]
    timeout_s: float
    parse: Callable[[], Dict[str, Any]] = dict
    requires: Sequence[str] = ()
    note: str = ''


@dataclass
class CheckRun:
    """Where a check writes and how its steps run: ``env`` for the subprocesses, the total ``budget_s``."""
    out_dir: str
    dry_run: bool
    budget_s: float
    env: Dict[str, str] = field(default_factory=lambda: dict(os.environ))
    records: List[Dict[str, Any]] = field(default_factory=list)

    def log_path(self, step: Step) -> str:
        return osp.join(self.out_dir, 'logs', f'{step.name}.log')


def _log_tail(path: str, lines: int = 15) -> str:
    try:
        with open(path, errors='replace') as f:
            return ''.join(f.readlines()[-lines:]).strip()
    except OSError:
        return ''


def _kill_group(proc: subprocess.Popen) -> None:
    """SIGTERM to the step's whole process group (torchrun's workers too), SIGKILL if it lingers."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(KILL_GRACE_S)
            return
        except subprocess.TimeoutExpired:
            continue


def _execute(step: Step, run: CheckRun, timeout_s: float) -> Optional[int]:
    """Run the step's command with its output in its log; the exit status, or None at the timeout."""
    log_path = run.log_path(step)
    mkdir_or_exist(osp.dirname(log_path))
    with open(log_path, 'w') as log:
        log.write(f'$ {shlex.join(step.command)}\n')
        log.flush()
        proc = subprocess.Popen(
            step.command,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=REPO_ROOT,
            env=run.env,
            start_new_session=True)
        try:
            return proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            return None


def run_step(step: Step, run: CheckRun, remaining_s: float, passed: Sequence[str]) -> Dict[str, Any]:
    """Run one step within ``min(step.timeout_s, remaining_s)``; its record (see the module docstring)."""
    record = dict(
        name=step.name,
        title=step.title,
        status=None,
        seconds=0.0,
        returncode=None,
        numbers={},
        note=step.note,
        error='',
        command=shlex.join(step.command),
        log=osp.relpath(run.log_path(step), run.out_dir))
    missing = [name for name in step.requires if name not in passed]
    if missing:
        return dict(record, status=SKIPPED, error=f'needs {", ".join(missing)}, which did not pass')
    timeout_s = min(step.timeout_s, remaining_s)
    if timeout_s < 1:
        return dict(record, status=TIMEOUT, error='no time left of the total budget')
    start = time.monotonic()
    returncode = _execute(step, run, timeout_s)
    record.update(seconds=round(time.monotonic() - start, 1), returncode=returncode)
    tail = _log_tail(run.log_path(step))
    if returncode is None:
        cut = 'its time box' if timeout_s == step.timeout_s else 'the rest of the total budget'
        return dict(
            record, status=TIMEOUT, error=f'still running after {timeout_s:.0f} s ({cut}): stopped\n{tail}')
    if returncode != 0:
        return dict(record, status=FAILED, error=f'exit status {returncode}\n{tail}')
    try:
        numbers = step.parse()
    except Exception as error:  # noqa: B902  (any parsing error is this step's failure, not the check's)
        return dict(record, status=FAILED, error=f'output not as expected: {type(error).__name__}: {error}')
    if 'skipped' in numbers:
        return dict(record, status=SKIPPED, error=str(numbers.pop('skipped')), numbers=numbers)
    return dict(record, status=DRY_RUN if run.dry_run else OK, numbers=numbers)


def run_steps(steps: Sequence[Step],
              run: CheckRun,
              after_each: Callable[[CheckRun], None] = lambda run: None) -> List[Dict[str, Any]]:
    """Every step in order, whatever happened to the earlier ones, within ``run.budget_s`` in total."""
    start = time.monotonic()
    for step in steps:
        passed = [record['name'] for record in run.records if record['status'] in PASSED]
        print(f'gpu_check: {step.name}: {step.title} ...', flush=True)
        record = run_step(step, run, run.budget_s - (time.monotonic() - start), passed)
        run.records.append(record)
        print(
            f'gpu_check: {step.name}: {record["status"]} ({record["seconds"]:.1f} s) '
            f'{format_numbers(record["numbers"])}',
            flush=True)
        after_each(run)
    return run.records


# ------------------------------------------------------------------------------------- the report


def format_number(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return f'{value:.4g}' if isinstance(value, float) else str(value)


def format_numbers(numbers: Dict[str, Any]) -> str:
    return ', '.join(f'{key} {format_number(value)}' for key, value in numbers.items())


def report(run: CheckRun) -> Dict[str, Any]:
    counts = {status: 0 for status in (OK, DRY_RUN, SKIPPED, FAILED, TIMEOUT)}
    for record in run.records:
        counts[record['status']] += 1
    return dict(
        mode='dry-run (CPU, tiny sizes)' if run.dry_run else 'cuda',
        written=datetime.now(timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'),
        budget_s=run.budget_s,
        total_s=round(sum(record['seconds'] for record in run.records), 1),
        passed=counts[FAILED] == counts[TIMEOUT] == 0,
        counts=counts,
        steps=run.records)


def _cell(text: str) -> str:
    return text.replace('|', '\\|').replace('\n', ' ')


def summary_markdown(data: Dict[str, Any], extra_sections: Sequence[str] = ()) -> str:
    counts = ', '.join(f'{n} {status}' for status, n in data['counts'].items() if n)
    result = 'passed' if data['passed'] else 'FAILED'
    lines = [
        '# GPU check', '',
        f'Mode: {data["mode"]}. Written {data["written"]}; steps took {data["total_s"]:.0f} s '
        f'of a {data["budget_s"]:.0f} s budget. Result: **{result}** ({counts}).', ''
    ]
    rows = [[
        record['name'], record['status'], f'{record["seconds"]:.1f}',
        _cell(format_numbers(record['numbers'])),
        _cell(' '.join(filter(None, [record['note'], record['error'].split('\n')[0]])))
    ] for record in data['steps']]
    lines += [markdown_table(['step', 'status', 'seconds', 'key numbers', 'note'], rows), '']
    for section in extra_sections:
        lines += [section, '']
    problems = [record for record in data['steps'] if record['status'] in (FAILED, TIMEOUT)]
    for record in problems:
        lines += [
            f'## {record["name"]}: {record["status"]}', '', f'`{record["command"]}`', '', '```',
            record['error'], '```', f'Full output: {record["log"]}', ''
        ]
    return '\n'.join(lines)


def write_report(run: CheckRun, extra_sections: Callable[[CheckRun], Sequence[str]] = lambda run: ()) -> None:
    data = report(run)
    with open(osp.join(run.out_dir, 'gpu_check.json'), 'w') as f:
        json.dump(data, f, indent=2)
    with open(osp.join(run.out_dir, 'summary.md'), 'w') as f:
        f.write(summary_markdown(data, extra_sections(run)))


# -------------------------------------------------------------------------- reading the outputs


def read_json(path: str) -> Any:
    with open(path) as f:
        return json.load(f)


def newest(pattern: str) -> str:
    """The last match of ``pattern`` in name order (mmengine's run folders are timestamps)."""
    found = sorted(glob.glob(pattern))
    if not found:
        raise FileNotFoundError(f'nothing matches {pattern}')
    return found[-1]


def training_scalars(work_dir: str) -> Dict[str, Any]:
    """Final losses, first / last logged iteration and the last validation mIoU of a tools/train.py
    run (its newest ``vis_data/scalars.json``)."""
    path = newest(osp.join(work_dir, '*', 'vis_data', 'scalars.json'))
    with open(path) as f:
        entries = [json.loads(line) for line in f if line.strip()]
    train = [entry for entry in entries if 'loss' in entry]
    val = [entry for entry in entries if 'mIoU' in entry]
    if not train:
        raise ValueError(f'{path} logs no training loss')
    last = train[-1]
    numbers = dict(first_logged_iter=train[0]['iter'], last_iter=last['iter'], loss=last['loss'])
    for key in ('decode.loss_ce', 'adv.loss_macro', 'adv.loss_micro', 'disc_loss'):
        if key in last:
            numbers[key] = last[key]
    if val:
        numbers['mIoU'] = val[-1]['mIoU']
    return numbers


def checkpoint_loss_scales(checkpoint: str) -> Dict[str, Any]:
    """Loss scale of each AmpOptimWrapper in a checkpoint of the check's own run, and the steps its scaler
    skipped, which follow from the scale while fewer than ``growth_interval`` steps were taken."""
    import torch
    ckpt = torch.load(checkpoint, map_location='cpu', weights_only=False)  # written by this check
    iters = ckpt['meta']['iter']
    numbers = {}
    for name, state in ckpt['optimizer'].items():
        scaler = state.get('loss_scaler') if isinstance(state, dict) else None
        if not scaler:
            continue
        numbers[f'loss_scale.{name}'] = scaler['scale']
        if iters < scaler['growth_interval']:
            numbers[f'skipped.{name}'] = round(
                math.log(INIT_LOSS_SCALE / scaler['scale']) / math.log(1 / scaler['backoff_factor']))
    return numbers


def checkpoint_iter(checkpoint: str) -> int:
    import torch
    return torch.load(checkpoint, map_location='cpu', weights_only=False)['meta']['iter']


# ------------------------------------------------------------------------------------- the probes


def probe_environment(out: str, dry_run: bool) -> int:
    """nvidia-smi, torch / CUDA / cuDNN / NCCL versions, the GPUs, the OpenMMLab and onnxruntime
    versions, into ``out``; exit status 1 on a GPU run where torch sees no CUDA device."""
    import mmcv
    import mmengine
    import mmseg
    import torch

    import mmseg_mman
    info: Dict[str, Any] = dict(
        python=sys.version.split()[0],
        torch=torch.__version__,
        cuda=torch.version.cuda,
        cudnn=torch.backends.cudnn.version() if torch.backends.cudnn.is_available() else None,
        cuda_available=torch.cuda.is_available(),
        gpus=[torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())],
        mmcv=mmcv.__version__,
        mmengine=mmengine.__version__,
        mmseg=mmseg.__version__,
        mmseg_mman=mmseg_mman.__version__)
    if torch.cuda.is_available():
        info['nccl'] = '.'.join(map(str, torch.cuda.nccl.version()))
    try:
        import onnxruntime
        info.update(
            onnxruntime=onnxruntime.__version__, onnxruntime_providers=onnxruntime.get_available_providers())
    except ImportError:
        info['onnxruntime'] = None
    info['nvidia_smi'] = _nvidia_smi()
    with open(out, 'w') as f:
        json.dump(info, f, indent=2)
    print(json.dumps(info, indent=2))
    if not dry_run and not info['cuda_available']:
        print('gpu_check: torch sees no CUDA device', file=sys.stderr)
        return 1
    return 0


def _nvidia_smi() -> str:
    """``name, driver, memory`` of each GPU (the full ``nvidia-smi`` goes to the log), or why not."""
    query = ['nvidia-smi', '--query-gpu=name,driver_version,memory.total', '--format=csv,noheader']
    try:
        print(subprocess.run(['nvidia-smi'], capture_output=True, text=True, timeout=30).stdout)
        result = subprocess.run(query, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f'not available: {error}'
    return result.stdout.strip(
    ) if result.returncode == 0 else f'exit status {result.returncode}: {result.stderr}'


def probe_onnxruntime(config: str, checkpoint: str, onnx_file: str, device: str, out: str) -> int:
    """The ONNX file with onnxruntime's provider for ``device`` against the PyTorch model on ``device``:
    max |difference| of the logits on two random images; ``{'skipped': why}`` when onnxruntime or its
    CUDA provider is not installed. Exit status 1 when the session falls back to another provider or
    the difference exceeds ``ONNX_ATOL + ONNX_RTOL * max|logit|``."""
    # torch first: onnxruntime's CUDA provider then finds the CUDA and cuDNN libraries torch loaded.
    import numpy as np
    import torch
    try:
        import onnxruntime
    except ImportError:
        return _write_probe(out, dict(skipped='onnxruntime is not installed (requirements/deploy.txt)'))
    from mmseg_mman.apis import InferenceNetwork, init_parser
    from mmseg_mman.apis.onnx_export import ONNX_INPUT, ONNX_OUTPUT, preprocessed_random_images
    from mmseg_mman.apis.onnx_segmentor import onnxruntime_providers
    from mmseg_mman.utils import register_safe_checkpoint_loader, trust_checkpoint
    try:
        providers = onnxruntime_providers(device)
    except RuntimeError as error:
        return _write_probe(out, dict(skipped=f'{error} (scripts/make_wheelhouse.sh --onnxruntime-gpu)'))
    session = onnxruntime.InferenceSession(onnx_file, providers=providers)
    used = session.get_providers()[0]
    if used != providers[0]:
        print(f'gpu_check: onnxruntime runs {onnx_file} on {used}, not {providers[0]} (see its log above)')
        return 1
    torch.backends.cuda.matmul.allow_tf32 = False  # the reference in fp32, not TF32
    torch.backends.cudnn.allow_tf32 = False
    register_safe_checkpoint_loader()
    trust_checkpoint(checkpoint)
    model = init_parser(config, checkpoint, device=device)
    network = InferenceNetwork(model).eval()
    diffs, logits = [], []
    for inputs in preprocessed_random_images(model, [(64, 64), (96, 72)]):
        with torch.no_grad():
            expected = network(inputs).cpu().numpy()
        found = session.run([ONNX_OUTPUT], {ONNX_INPUT: inputs.cpu().numpy()})[0]
        diffs.append(float(np.abs(found - expected).max()))
        logits.append(float(np.abs(expected).max()))
    tolerance = ONNX_ATOL + ONNX_RTOL * max(logits)
    result = dict(provider=used, max_abs_diff=max(diffs), max_abs_logit=max(logits), tolerance=tolerance)
    _write_probe(out, result)
    return 0 if max(diffs) <= tolerance else 1


def _write_probe(out: str, result: Dict[str, Any]) -> int:
    with open(out, 'w') as f:
        json.dump(result, f, indent=2)
    print(json.dumps(result, indent=2))
    return 0


def probe_main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description='one probe of the GPU check (run by the check itself)')
    parser.add_argument('--probe', choices=['environment', 'onnxruntime'], required=True)
    parser.add_argument('--out', required=True)
    parser.add_argument('--dry-run', action='store_true')
    parser.add_argument('--config')
    parser.add_argument('--checkpoint')
    parser.add_argument('--onnx')
    parser.add_argument('--device', default='cpu')
    args = parser.parse_args(argv)
    if args.probe == 'environment':
        return probe_environment(args.out, args.dry_run)
    return probe_onnxruntime(args.config, args.checkpoint, args.onnx, args.device, args.out)


# -------------------------------------------------------------------------------------- the plan

#: Sizes of the GPU run (the paper's R101 at 256x256 for the training cost) and of the dry run.
SIZES = dict(
    cuda=dict(
        train_cost=[
            '--preset', 'r101', '--size', '256', '--warmup', '2', '--reps', '3', '--iters-per-rep', '2',
            '--memory-iters', '2'
        ],
        train_cost_batches=(1, 8),
        inference_cost=['--preset', 'r101', '--num-images', '4', '--warmup', '1', '--reps', '3'],
        num_train=64,
        num_val=8,
        train_batch=8,
        train_iters=50,
        resume_iters=10,
        log_interval=10,
        ddp_iters=10,
        onnx_shape=(96, 64)),
    dry_run=dict(
        train_cost=[
            '--preset', 'r18', '--size', '32', '--warmup', '0', '--reps', '1', '--iters-per-rep', '1',
            '--no-memory'
        ],
        train_cost_batches=(1, 2),
        inference_cost=[
            '--preset', 'r18', '--num-images', '1', '--img-size', '48', '--warmup', '0', '--reps', '1',
            '--no-memory'
        ],
        num_train=4,
        num_val=2,
        train_batch=2,
        train_iters=2,
        resume_iters=1,
        log_interval=1,
        ddp_iters=2,
        onnx_shape=(64, 64)))
TIMEOUTS_S = dict(
    environment=60,
    data=60,
    train=150,
    resume=90,
    test=60,
    infer=60,
    onnx_export=90,
    onnx_runtime=60,
    ddp=120,
    train_cost=100,
    inference_cost=120)
LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')
AMP_ON_CPU = 'fp32: --amp needs CUDA (AmpOptimWrapper)'


class Plan:
    """The steps of the check for ``out_dir``: on CUDA, or with ``dry_run`` tiny on the CPU."""

    def __init__(self, out_dir: str, dry_run: bool, gpus: int = 1, python: str = sys.executable) -> None:
        self.out_dir, self.dry_run, self.gpus, self.python = out_dir, dry_run, gpus, python
        self.sizes = SIZES['dry_run' if dry_run else 'cuda']
        self.device = 'cpu' if dry_run else 'cuda'
        self.data_root = self.path('data')
        self.train_dir = self.path('train')
        self.train_iters = self.sizes['train_iters']
        self.resume_iters = self.train_iters + self.sizes['resume_iters']
        self.checkpoint = osp.join(self.train_dir, f'iter_{self.train_iters}.pth')
        self.onnx_file = self.path('onnx_export', 'mman.onnx')

    def path(self, *parts: str) -> str:
        return osp.join(self.out_dir, *parts)

    def tool(self, script: str, *args: Any) -> List[str]:
        return [self.python, osp.join(TOOLS, script), *map(str, args)]

    def data_options(self) -> List[str]:
        return [f'{loader}.dataset.data_root={self.data_root}' for loader in LOADERS]

    def train_options(self, max_iters: int) -> List[str]:
        return self.data_options() + [
            f'train_dataloader.batch_size={self.sizes["train_batch"]}', f'train_cfg.max_iters={max_iters}',
            f'train_cfg.val_interval={max_iters}', f'default_hooks.checkpoint.interval={self.train_iters}',
            'default_hooks.checkpoint.max_keep_ckpts=-1',
            f'default_hooks.logger.interval={self.sizes["log_interval"]}'
        ]

    def amp(self) -> List[str]:
        return [] if self.dry_run else ['--amp']

    def steps(self) -> List[Step]:
        return [
            self.environment(),
            self.data(),
            self.train(),
            self.resume(),
            self.test(),
            self.infer(),
            self.onnx_export(),
            self.onnx_runtime(),
            self.ddp(),
            *[
                self.train_cost(batch, amp) for batch in self.sizes['train_cost_batches']
                for amp in (False, True)
            ],
            self.inference_cost(),
        ]

    # ------------------------------------------------------------------------------------ steps

    def environment(self) -> Step:
        out = self.path('environment.json')
        command = self.tool('benchmarks/gpu_check.py', '--probe', 'environment', '--out', out)
        return Step('environment', 'nvidia-smi; torch, CUDA, cuDNN, NCCL, mmcv, onnxruntime versions',
                    command + (['--dry-run'] if self.dry_run else []), TIMEOUTS_S['environment'],
                    lambda: environment_numbers(read_json(out)))

    def data(self) -> Step:
        command = self.tool('misc/make_synthetic_lip.py', self.data_root, '--num-train',
                            self.sizes['num_train'], '--num-val', self.sizes['num_val'], '--overwrite')

        def parse() -> Dict[str, Any]:
            numbers = {
                split: len(glob.glob(osp.join(self.data_root, f'{split}_images', '*')))
                for split in ('train', 'val')
            }
            if numbers != dict(train=self.sizes['num_train'], val=self.sizes['num_val']):
                raise ValueError(f'{self.data_root} holds {numbers} images')
            return numbers

        return Step('data', 'synthetic LIP-layout images (tools/misc/make_synthetic_lip.py)', command,
                    TIMEOUTS_S['data'], parse)

    def train(self) -> Step:
        command = self.tool('train.py', DEMO_CONFIG, '--work-dir', self.train_dir, *self.amp(),
                            '--cfg-options', *self.train_options(self.train_iters))

        def parse() -> Dict[str, Any]:
            numbers = training_scalars(self.train_dir)
            if numbers['last_iter'] != self.train_iters:
                raise ValueError(
                    f'the last logged iteration is {numbers["last_iter"]}, not {self.train_iters}')
            numbers.update(checkpoint_loss_scales(self.checkpoint))
            if not self.dry_run and not any(key.startswith('loss_scale.') for key in numbers):
                raise ValueError(f'{self.checkpoint} holds no loss scaler: --amp did not take effect')
            return numbers

        return Step(
            'train',
            f'tools/train.py {" ".join(self.amp())} {self.train_iters} iterations of the demo config',
            command,
            TIMEOUTS_S['train'],
            parse,
            requires=['data'],
            note=AMP_ON_CPU if self.dry_run else '')

    def resume(self) -> Step:
        command = self.tool('train.py', DEMO_CONFIG, '--work-dir', self.train_dir, '--resume', *self.amp(),
                            '--cfg-options', *self.train_options(self.resume_iters))
        checkpoint = osp.join(self.train_dir, f'iter_{self.resume_iters}.pth')

        def parse() -> Dict[str, Any]:
            numbers = training_scalars(self.train_dir)
            if numbers['first_logged_iter'] <= self.train_iters:
                raise ValueError(
                    f'the resumed run logged iteration {numbers["first_logged_iter"]}: it started over')
            numbers['checkpoint_iter'] = checkpoint_iter(checkpoint)
            if numbers['checkpoint_iter'] != self.resume_iters:
                raise ValueError(f'{checkpoint} is of iteration {numbers["checkpoint_iter"]}')
            return numbers

        return Step(
            'resume',
            f'tools/train.py --resume {" ".join(self.amp())} to iteration {self.resume_iters}',
            command,
            TIMEOUTS_S['resume'],
            parse,
            requires=['train'],
            note=AMP_ON_CPU if self.dry_run else '')

    def test(self) -> Step:
        work_dir = self.path('test')
        command = self.tool('test.py', DEMO_CONFIG, self.checkpoint, '--trust-checkpoint', '--work-dir',
                            work_dir, '--cfg-options', *self.data_options())

        def parse() -> Dict[str, Any]:
            metrics = read_json(newest(osp.join(work_dir, '*', '*.json')))
            return {key: metrics[key] for key in ('mIoU', 'aAcc', 'mIoU_low', 'IPR') if key in metrics}

        return Step(
            'test',
            f'tools/test.py on the iteration-{self.train_iters} checkpoint',
            command,
            TIMEOUTS_S['test'],
            parse,
            requires=['train'])

    def infer(self) -> Step:
        out_dir = self.path('infer')
        images = osp.join(self.data_root, 'val_images')
        command = self.tool('infer.py', DEMO_CONFIG, self.checkpoint, images, '--out-dir', out_dir,
                            '--device', self.device, '--trust-checkpoint', '--force')

        def parse() -> Dict[str, Any]:
            labels = [p for p in glob.glob(osp.join(out_dir, '*.png')) if not p.endswith('_vis.png')]
            if len(labels) != self.sizes['num_val']:
                raise ValueError(
                    f'{out_dir} holds {len(labels)} label maps for {self.sizes["num_val"]} images')
            return dict(images=len(labels))

        return Step(
            'infer',
            f'tools/infer.py --device {self.device} on the generated val images',
            command,
            TIMEOUTS_S['infer'],
            parse,
            requires=['train'])

    def onnx_export(self) -> Step:
        height, width = self.sizes['onnx_shape']
        command = self.tool('deployment/export_onnx.py', DEMO_CONFIG, self.checkpoint, '--out',
                            self.onnx_file, '--shape', height, width, '--trust-checkpoint')
        log = osp.join(self.out_dir, 'logs', 'onnx_export.log')

        def parse() -> Dict[str, Any]:
            with open(log) as f:
                diffs = [float(x) for x in re.findall(r'max \|onnxruntime - PyTorch\| = (\S+) ', f.read())]
            if not diffs:
                raise ValueError(f'{log} reports no comparison with PyTorch')
            return dict(
                sizes_checked=len(diffs),
                cpu_max_abs_diff=max(diffs),
                mib=osp.getsize(self.onnx_file) / 2**20)

        return Step(
            'onnx_export',
            'tools/deployment/export_onnx.py (+ onnxruntime CPU check)',
            command,
            TIMEOUTS_S['onnx_export'],
            parse,
            requires=['train'])

    def onnx_runtime(self) -> Step:
        out = self.path('onnx_runtime.json')
        command = self.tool('benchmarks/gpu_check.py', '--probe', 'onnxruntime', '--out', out, '--config',
                            DEMO_CONFIG, '--checkpoint', self.checkpoint, '--onnx', self.onnx_file,
                            '--device', self.device)
        provider = 'CPU' if self.dry_run else 'CUDA'
        return Step(
            'onnx_runtime',
            f'onnxruntime {provider} provider vs PyTorch on {self.device}',
            command,
            TIMEOUTS_S['onnx_runtime'],
            lambda: read_json(out),
            requires=['onnx_export'],
            note='dry-run: CPU provider' if self.dry_run else '')

    def ddp(self) -> Step:
        work_dir = self.path('ddp')
        backend = 'gloo' if self.dry_run else 'nccl'
        iters = self.sizes['ddp_iters']
        command = [
            'env', f'PORT={free_port()}', 'bash',
            osp.join(TOOLS, 'dist_train.sh'), DEMO_CONFIG,
            str(self.gpus), '--work-dir', work_dir, '--cfg-options', *self.data_options(),
            f'train_dataloader.batch_size={self.sizes["train_batch"]}', f'train_cfg.max_iters={iters}',
            f'train_cfg.val_interval={iters}', f'default_hooks.checkpoint.interval={iters}',
            f'default_hooks.logger.interval={self.sizes["log_interval"]}',
            f'env_cfg.dist_cfg.backend={backend}'
        ]

        def parse() -> Dict[str, Any]:
            numbers = training_scalars(work_dir)
            if numbers['last_iter'] != iters:
                raise ValueError(f'the last logged iteration is {numbers["last_iter"]}, not {iters}')
            return dict(distributed_log(newest(osp.join(work_dir, '*', '*.log'))), **numbers)

        return Step(
            'ddp',
            f'tools/dist_train.sh, {self.gpus} process(es), {backend}, {iters} iterations',
            command,
            TIMEOUTS_S['ddp'],
            parse,
            requires=['data'],
            note='dry-run: gloo on the CPU' if self.dry_run else '')

    def train_cost(self, batch_size: int, amp: bool) -> Step:
        precision = 'amp' if amp else 'fp32'
        out = self.path('train_cost', f'b{batch_size}_{precision}.json')
        command = self.tool('benchmarks/train_cost.py', '--device', self.device, *self.sizes['train_cost'],
                            '--batch-size', batch_size, '--out', out,
                            *(['--amp'] if amp and not self.dry_run else []))
        return Step(
            f'train_cost_b{batch_size}_{precision}',
            f'train_cost.py --device {self.device}, batch {batch_size}, {precision}',
            command,
            TIMEOUTS_S['train_cost'],
            lambda: train_cost_numbers(read_json(out)),
            note=AMP_ON_CPU if amp and self.dry_run else '')

    def inference_cost(self) -> Step:
        out = self.path('inference_cost.json')
        command = self.tool('benchmarks/inference_cost.py', '--device', self.device,
                            *self.sizes['inference_cost'], '--out', out)
        return Step('inference_cost', f'inference_cost.py --device {self.device}, whole and TTA', command,
                    TIMEOUTS_S['inference_cost'], lambda: inference_cost_numbers(read_json(out)))

    def env(self) -> Dict[str, str]:
        """The steps' environment: this interpreter first on PATH (dist_train.sh runs ``python``), the
        checkout importable, unbuffered output (complete logs at a timeout); the dry run hides CUDA."""
        env = dict(os.environ, PYTHONUNBUFFERED='1')
        env['PATH'] = os.pathsep.join([osp.dirname(self.python), env.get('PATH', '')])
        env['PYTHONPATH'] = os.pathsep.join(filter(None, [REPO_ROOT, env.get('PYTHONPATH')]))
        if self.dry_run:
            env.update(CUDA_VISIBLE_DEVICES='', OMP_NUM_THREADS=env.get('OMP_NUM_THREADS', '1'))
        return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


# ------------------------------------------------------------------------------- key numbers


def environment_numbers(info: Dict[str, Any]) -> Dict[str, Any]:
    numbers = dict(torch=info['torch'], cuda=info['cuda'], cudnn=info['cudnn'])
    if info.get('nccl'):
        numbers['nccl'] = info['nccl']
    numbers['gpus'] = len(info['gpus'])
    if info['gpus']:
        numbers['gpu'] = info['gpus'][0]
    numbers['onnxruntime'] = info.get('onnxruntime')
    numbers['nvidia_smi'] = info['nvidia_smi'].split('\n')[0]
    return numbers


def distributed_log(log: str) -> Dict[str, Any]:
    """Launcher, process count and backend as mmengine's run log reports them."""
    with open(log) as f:
        text = f.read()
    found = dict(
        launcher=re.search(r'Distributed launcher: (\S+)', text),
        world_size=re.search(r'GPU number: (\d+)', text),
        backend=re.search(r"dist_cfg: \{'backend': '(\w+)'", text))
    missing = [key for key, match in found.items() if match is None]
    if missing:
        raise ValueError(f'{log} does not report {missing}')
    numbers = {key: match.group(1) for key, match in found.items()}
    numbers['world_size'] = int(numbers['world_size'])
    if numbers['launcher'] != 'pytorch':
        raise ValueError(f'{log}: launcher {numbers["launcher"]}, not pytorch: not distributed')
    return numbers


def _memory_mib(row: Dict[str, Any]) -> Optional[float]:
    memory = row.get('memory', {})
    return memory.get('cuda_peak_allocated_mib', memory.get('peak_rss_delta_mib'))


def train_cost_numbers(report_: Dict[str, Any]) -> Dict[str, Any]:
    """MMAN's s/iter, it/s, peak memory (CUDA: max_memory_allocated), time x baseline and, with AMP,
    the loss scale / skipped steps of each optimizer wrapper."""
    mman = report_['models']['MMAN']
    seconds = mman['s_per_iter_summary']['median']
    numbers = dict(
        s_per_iter=seconds, it_per_s=1 / seconds, x_baseline=mman['ratio_to_baseline_summary']['median'])
    if _memory_mib(mman) is not None:
        numbers['peak_mib'] = _memory_mib(mman)
    for wrapper, amp in mman.get('amp', {}).items():
        numbers[f'loss_scale.{wrapper}'] = amp['loss_scale']
        numbers[f'skipped.{wrapper}'] = amp['skipped_steps']
    return numbers


def inference_cost_numbers(report_: Dict[str, Any]) -> Dict[str, Any]:
    """MMAN's images/s and time x the ASPPHead model, whole and TTA, and peak memory where measured."""
    numbers = {}
    for mode in ('whole', 'tta'):
        row = report_['models'][f'MMAN, {mode}']
        numbers[f'{mode}_img_per_s'] = row['images_per_s_summary']['median']
        numbers[f'{mode}_x_aspp'] = row['time_ratio_to_aspp_summary']['median']
        if _memory_mib(row) is not None:
            numbers[f'{mode}_peak_mib'] = _memory_mib(row)
    return numbers


def train_cost_section(run: CheckRun) -> List[str]:
    """Every model of every train_cost step: the table of the summary's training-cost section."""
    rows = []
    for path in sorted(glob.glob(osp.join(run.out_dir, 'train_cost', '*.json'))):
        data = read_json(path)
        step = 'train_cost_' + osp.splitext(osp.basename(path))[0]
        for name, row in data['models'].items():
            seconds = row['s_per_iter_summary']['median']
            memory = _memory_mib(row)
            amp = '; '.join(f'{wrapper} {v["loss_scale"]:g} / {v["skipped_steps"]}'
                            for wrapper, v in row.get('amp', {}).items())
            rows.append([
                step, data['batch_size'], 'amp' if data.get('amp') else 'fp32', name, f'{seconds:.4f}',
                f'{1 / seconds:.2f}', '-' if memory is None else f'{memory:.0f}',
                f'{row["ratio_to_baseline_summary"]["median"]:.3f}', amp or '-'
            ])
    if not rows:
        return []
    header = [
        'step', 'batch', 'ran as', 'model', 's/iter', 'it/s', 'peak MiB', 'x baseline', 'loss scale / skipped'
    ]
    return ['## Training cost (train_cost.py, medians)\n\n' + markdown_table(header, rows)]


# ------------------------------------------------------------------------------------------ CLI


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('out_dir', help='where gpu_check.json, summary.md, logs/ and every output go')
    parser.add_argument('--dry-run', action='store_true', help='every step on the CPU, tiny (no GPU needed)')
    parser.add_argument('--steps', nargs='+', help='run only these steps (default: all)')
    parser.add_argument(
        '--budget', type=float, default=DEFAULT_BUDGET_S, help=f'total seconds (default {DEFAULT_BUDGET_S})')
    parser.add_argument('--gpus', type=int, help='processes of the DDP step (default: the visible GPUs)')
    return parser.parse_args(argv)


def visible_gpus(dry_run: bool) -> int:
    """1 for the dry run; else the CUDA devices torch sees, or a SystemExit saying there are none."""
    if dry_run:
        return 1
    import torch
    if not torch.cuda.is_available():
        raise SystemExit('gpu_check: torch sees no CUDA device (torch '
                         f'{torch.__version__}, CUDA build {torch.version.cuda}); on a machine without '
                         'a GPU use --dry-run')
    return torch.cuda.device_count()


def main(argv: Optional[List[str]] = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if '--probe' in argv:
        return probe_main(argv)
    args = parse_args(argv)
    out_dir = osp.abspath(args.out_dir)
    if osp.exists(osp.join(out_dir, 'gpu_check.json')):
        raise SystemExit(f'gpu_check: {out_dir} holds an earlier check (gpu_check.json): choose a new folder')
    try:
        check_writable_dir(out_dir)
    except ValueError as error:
        raise SystemExit(f'gpu_check: {error}')
    gpus = visible_gpus(args.dry_run)
    plan = Plan(out_dir, args.dry_run, args.gpus or gpus)
    steps = plan.steps()
    if args.steps:
        unknown = sorted(set(args.steps) - {step.name for step in steps})
        if unknown:
            raise SystemExit(
                f'gpu_check: unknown steps {unknown}; the steps are {[step.name for step in steps]}')
        steps = [step for step in steps if step.name in args.steps]
    run = CheckRun(out_dir, args.dry_run, args.budget, env=plan.env())
    run_steps(steps, run, after_each=lambda run: write_report(run, train_cost_section))
    data = report(run)
    print(
        f'gpu_check: {"passed" if data["passed"] else "FAILED"} {data["counts"]} in {data["total_s"]:.0f} s; '
        f'see {osp.join(out_dir, "summary.md")}')
    return 0 if data['passed'] else 1
