"""Training cost of MMAN vs its CE-only baseline vs Single AN: seconds per iteration, peak memory and
parameter counts, measured in one run.

One iteration is ``model.train_step`` with the config's optimizers: for the adversarial models the
generator runs forward once, the discriminators take a step on the detached maps, then the generator
takes its step (segmentation + adversarial losses); the baseline takes only the generator step. All
models get the same random batch (cost does not depend on content) and random initial weights.

* Time: every model is built in this process and timed interleaved (round-robin over the models each
  repetition, order rotated), after warm-up iterations; median and interquartile range over the
  repetitions, and per repetition the ratio to the baseline's time of the same repetition.
* Memory: per model, a fresh (spawned) process runs a few iterations; reported is the increase of
  the peak resident set size over the RSS before the first iteration (CPU), and on CUDA
  ``torch.cuda.max_memory_allocated`` (weights included).

* Mixed precision (``--amp``, CUDA only): every optimizer wrapper becomes an ``AmpOptimWrapper`` with a
  dynamic loss scale, as ``tools/train.py --amp`` does (both the generator's and the discriminators' of a GAN
  config); reported per wrapper are the final loss scale and the steps the scaler skipped (inf/NaN
  gradients), counted over every iteration of the timing process.

Presets: ``r18`` (default on CPU) the CPU demo configs (ResNetV1c-18, narrow head) at 128x128, batch 2;
``r101`` (default with ``--device cuda``) the paper's ResNetV1c-101 configs at 256x256, batch 1.

    OMP_NUM_THREADS=1 python tools/benchmarks/train_cost.py --out work_dirs/benchmarks/train_cost_r18.json
    python tools/benchmarks/train_cost.py --device cuda --out work_dirs/benchmarks/train_cost_r101_cuda.json
"""
import argparse
import sys
from typing import Any, Callable, Dict, Tuple

import torch.nn as nn
from mmengine.optim import AmpOptimWrapper, OptimWrapper, OptimWrapperDict, build_optim_wrapper

from mmseg_mman.engine import enable_amp
from .common import (build_model, format_machine, format_parameter_counts, format_summary, interleaved_timing,
                     load_config, machine_info, paired_ratios, parameter_counts, peak_memory_in_fresh_process,
                     random_batch, ratio_of_minima, summarize, write_json)
from .experiments import markdown_table

BASELINE = 'baseline (CE only)'
PRESETS = {
    'r18':
    dict(
        size=128,
        batch_size=2,
        configs={
            BASELINE: 'configs/demo/do-aspp_r18-d16_1xb8-0.4k_synthetic-lip-64x64.py',
            'MMAN': 'configs/demo/mman_r18-d16_1xb8-0.4k_synthetic-lip-64x64.py',
            'Single AN': 'configs/benchmarks/single-an_r18-d16_1xb8-0.4k_synthetic-lip-64x64.py',
        }),
    'r101':
    dict(
        size=256,
        batch_size=1,
        configs={
            BASELINE: 'configs/mman/do-aspp_r101-d16_1xb1-30e_lip-256x256.py',
            'MMAN': 'configs/mman_r101_lip.py',
            'Single AN': 'configs/mman/single-an_r101-d16_1xb1-30e_lip-256x256.py',
        }),
}


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--device', default='cpu', help='cpu or cuda[:i]')
    parser.add_argument(
        '--preset',
        choices=PRESETS,
        help='model set and default size/batch (default: r18 on cpu, r101 on cuda)')
    parser.add_argument('--size', type=int, help='square input side (default: the preset\'s)')
    parser.add_argument('--batch-size', type=int, help='images per iteration (default: the preset\'s)')
    parser.add_argument('--warmup', type=int, default=2, help='untimed iterations per model first')
    parser.add_argument('--reps', type=int, default=5, help='timed repetitions (rounds over the models)')
    parser.add_argument('--iters-per-rep', type=int, default=2, help='iterations per model per repetition')
    parser.add_argument('--memory-iters', type=int, default=2, help='iterations of each memory probe')
    parser.add_argument('--no-memory', action='store_true', help='skip the peak-memory probes')
    parser.add_argument(
        '--amp',
        action='store_true',
        help='mixed precision: every optimizer wrapper an AmpOptimWrapper (dynamic loss scale), as '
        'tools/train.py --amp; needs CUDA')
    parser.add_argument('--out', help='JSON file for the results')
    args = parser.parse_args(argv)
    if args.amp and not args.device.startswith('cuda'):
        parser.error(f'--amp needs --device cuda: mmengine\'s AmpOptimWrapper is CUDA-only, got --device '
                     f'{args.device}')
    args.preset = args.preset or ('r101' if args.device.startswith('cuda') else 'r18')
    preset = PRESETS[args.preset]
    args.size = args.size or preset['size']
    args.batch_size = args.batch_size or preset['batch_size']
    args.configs = preset['configs']
    return args


class LossScaleMonitor:
    """Loss scale and skipped steps of every ``AmpOptimWrapper`` of an optimizer wrapper (or dict of them).

    A ``GradScaler`` skips ``optimizer.step()`` when the unscaled gradients hold inf or NaN, silently:
    the monitor counts the scaler's updates (one per wrapper step) and the optimizer steps really taken
    (``register_step_post_hook``); the difference is the skipped steps.
    """

    def __init__(self, optim_wrapper: OptimWrapper) -> None:
        wrappers = optim_wrapper.items() if isinstance(
            optim_wrapper, OptimWrapperDict) else [('optim_wrapper', optim_wrapper)]
        self.wrappers = {name: wrapper for name, wrapper in wrappers if isinstance(wrapper, AmpOptimWrapper)}
        self.updates = {name: 0 for name in self.wrappers}
        self.taken = {name: 0 for name in self.wrappers}
        for name, wrapper in self.wrappers.items():
            self._count_updates(name, wrapper.loss_scaler)
            wrapper.optimizer.register_step_post_hook(lambda *_, name=name: self._count_step(name))

    def _count_updates(self, name: str, scaler: Any) -> None:
        update = scaler.update

        def counted_update(*args, **kwargs):
            self.updates[name] += 1
            return update(*args, **kwargs)

        scaler.update = counted_update

    def _count_step(self, name: str) -> None:
        self.taken[name] += 1

    def report(self) -> Dict[str, Dict[str, float]]:
        """Per AMP wrapper: ``loss_scale`` (now), ``steps`` (attempted) and ``skipped_steps``."""
        return {
            name:
            dict(
                loss_scale=float(wrapper.loss_scaler.get_scale()),
                steps=self.updates[name],
                skipped_steps=self.updates[name] - self.taken[name])
            for name, wrapper in self.wrappers.items()
        }


def training_setup(config: str,
                   size: int,
                   batch_size: int,
                   device: str,
                   amp: bool = False) -> Tuple[nn.Module, OptimWrapper, Callable[[], Any]]:
    """Model, optimizers (``AmpOptimWrapper`` s with ``amp``) and a callable running one training
    iteration on a fixed random batch."""
    cfg = load_config(config, size)
    if amp:
        enable_amp(cfg)
    model = build_model(cfg, device).train()
    optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    batch = random_batch(batch_size, size, cfg.model.decode_head.num_classes)
    return model, optim_wrapper, lambda: model.train_step(batch, optim_wrapper)


def training_probe(config: str,
                   size: int,
                   batch_size: int,
                   device: str,
                   iters: int,
                   amp: bool = False) -> Callable[[], None]:
    """What :func:`peak_memory_in_fresh_process` measures: ``iters`` training iterations."""
    _, _, step = training_setup(config, size, batch_size, device, amp)

    def work() -> None:
        for _ in range(iters):
            step()

    return work


def measure(args: argparse.Namespace) -> Dict[str, Dict[str, Any]]:
    results: Dict[str, Dict[str, Any]] = {}
    steps, monitors = {}, {}
    for name, config in args.configs.items():
        model, optim_wrapper, steps[name] = training_setup(config, args.size, args.batch_size, args.device,
                                                           args.amp)
        monitors[name] = LossScaleMonitor(optim_wrapper)
        results[name] = dict(config=config, params=parameter_counts(model))
        if not args.no_memory:
            print(f'Peak memory of {name} ({args.memory_iters} iterations in a fresh process) ...')
            results[name]['memory'] = peak_memory_in_fresh_process(
                training_probe,
                (config, args.size, args.batch_size, args.device, args.memory_iters, args.amp), args.device)
    print(f'Timing {list(steps)} interleaved: {args.warmup} warm-up + {args.reps} x {args.iters_per_rep} '
          'iterations each ...')
    times = interleaved_timing(steps, args.device, args.warmup, args.reps, args.iters_per_rep)
    ratios = paired_ratios(times, BASELINE)
    fastest_ratios = ratio_of_minima(times, BASELINE)
    for name in results:
        results[name].update(
            s_per_iter=times[name],
            s_per_iter_summary=summarize(times[name]),
            ratio_to_baseline=ratios[name],
            ratio_to_baseline_summary=summarize(ratios[name]),
            fastest_ratio_to_baseline=fastest_ratios[name])
        if args.amp:
            results[name]['amp'] = monitors[name].report()
    return results


def table(results: Dict[str, Dict[str, Any]], device: str) -> str:
    header = [
        'model', 's/iter, median [IQR]', 's/iter, min', 'x baseline: paired, median [min, max]',
        'x baseline: fastest / fastest'
    ]
    memory_key = 'cuda_peak_allocated_mib' if device.startswith('cuda') else 'peak_rss_delta_mib'
    has_memory = all('memory' in row for row in results.values())
    if has_memory:
        header.append('CUDA peak allocated (MiB)' if device.startswith('cuda') else 'peak RSS increase (MiB)')
    has_amp = all('amp' in row for row in results.values())
    if has_amp:
        header.append('AMP loss scale / skipped steps')
    header += ['G params', 'D params']
    rows = []
    for name, row in results.items():
        ratio = row['ratio_to_baseline_summary']
        cells = [
            name,
            format_summary(row['s_per_iter_summary']), f'{row["s_per_iter_summary"]["min"]:.3f}',
            f'{ratio["median"]:.3f} [{ratio["min"]:.3f}, {ratio["max"]:.3f}]',
            f'{row["fastest_ratio_to_baseline"]:.3f}'
        ]
        if has_memory:
            cells.append(f'{row["memory"][memory_key]:.0f}')
        if has_amp:
            cells.append(', '.join(f'{wrapper} {amp["loss_scale"]:g} / {amp["skipped_steps"]}'
                                   for wrapper, amp in row['amp'].items()))
        params = format_parameter_counts(row['params'])
        rows.append(cells + [params['G'], params['D']])
    return markdown_table(header, rows)


def main(argv=None) -> Dict[str, Any]:
    args = parse_args(argv)
    before = machine_info(args.device)
    results = measure(args)
    after = machine_info(args.device)
    precision = 'AMP (AmpOptimWrapper, dynamic loss scale)' if args.amp else 'fp32'
    print(
        f'\nTraining cost, preset {args.preset}: {args.size}x{args.size}, batch {args.batch_size}, '
        f'{precision}, {args.warmup} warm-up + {args.reps} x {args.iters_per_rep} timed iterations per model')
    print(table(results, args.device))
    print(f'Machine: {format_machine(after)} (load average at the start: '
          f'{" / ".join(map(str, before["load_average"]))})')
    report = dict(
        arguments=sys.argv[1:] if argv is None else list(argv),
        preset=args.preset,
        size=args.size,
        batch_size=args.batch_size,
        amp=args.amp,
        warmup=args.warmup,
        reps=args.reps,
        iters_per_rep=args.iters_per_rep,
        memory_iters=args.memory_iters,
        machine_at_start=before,
        machine_at_end=after,
        models=results)
    if args.out:
        write_json(args.out, report)
    return report
