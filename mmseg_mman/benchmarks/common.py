"""What the cost benchmarks share: models from configs, interleaved timing, statistics, peak memory
measured in a fresh process, parameter counts, machine facts and the JSON/table output.

Used by :mod:`.train_cost`, :mod:`.inference_cost` and :mod:`.quality` (their CLIs are
``tools/benchmarks/*.py``).
"""
import json
import logging
import multiprocessing
import os
import os.path as osp
import platform
import time
from typing import Any, Callable, Dict, List, Optional, Sequence

import numpy as np
import torch
import torch.nn as nn
from mmengine.config import Config
from mmengine.logging import MMLogger
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmengine.utils import mkdir_or_exist
from mmseg.structures import SegDataSample

from mmseg_mman.apis import build_segmentor

#: The checkout the benchmark configs (``configs/...``) are read from.
REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
MIB = 2**20

# ------------------------------------------------------------------------------------------- models


def load_config(path: str, size: Optional[int] = None) -> Config:
    """A config (relative to the repository root or absolute) and, if ``size`` is given, its data
    preprocessor padding inputs to ``size`` x ``size``."""
    cfg = Config.fromfile(path if osp.isabs(path) else osp.join(REPO_ROOT, path))
    if size is not None:
        cfg.model.data_preprocessor.size = (size, size)
    return cfg


def build_model(cfg: Config, device: str) -> nn.Module:
    """The config's segmentor (discriminators included), randomly initialised without pretrained
    weights (random init is enough for cost; nothing is downloaded), on ``device``."""
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    # init_weights logs every parameter at INFO level: pages of noise around the tables.
    MMLogger.get_current_instance().setLevel(logging.WARNING)
    model = build_segmentor(cfg)
    model.init_weights()
    return model.to(device)


def _num_params(module: nn.Module) -> int:
    return sum(param.numel() for param in module.parameters())


def parameter_counts(model: nn.Module) -> Dict[str, int]:
    """``{'G': n, 'D.<name>': n, ...}``: the generator (the segmentor's ``generator_modules()``:
    backbone, neck, heads) and each of its ``discriminator_modules()``; a plain mmseg segmentor
    (no ``generator_modules``) counts as a generator only."""
    if not hasattr(model, 'generator_modules'):
        return {'G': _num_params(model)}
    counts = {'G': sum(_num_params(module) for module in model.generator_modules().values())}
    for name, discriminator in model.discriminator_modules().items():
        counts[f'D.{name}'] = _num_params(discriminator)
    return counts


def format_parameter_counts(counts: Dict[str, int]) -> Dict[str, str]:
    """``{'G': '11.46M', 'D': 'macro 0.19M + micro 0.09M'}`` (``'-'`` without discriminators)."""
    discriminators = [f'{key[2:]} {n / 1e6:.2f}M' for key, n in counts.items() if key.startswith('D.')]
    return dict(G=f'{counts["G"] / 1e6:.2f}M', D=' + '.join(discriminators) or '-')


def random_batch(batch_size: int, size: int, num_classes: int, seed: int = 0) -> dict:
    """Raw uint8-range images and random labels, (3, size, size) and (1, size, size) per sample, as a
    dataloader yields them (cost does not depend on content)."""
    gen = torch.Generator().manual_seed(seed)
    samples, inputs = [], []
    for _ in range(batch_size):
        label = torch.randint(0, num_classes, (1, size, size), generator=gen)
        sample = SegDataSample(gt_sem_seg=PixelData(data=label))
        sample.set_metainfo(dict(img_shape=(size, size), ori_shape=(size, size), pad_shape=(size, size)))
        samples.append(sample)
        inputs.append(torch.randint(0, 256, (3, size, size), generator=gen).float())
    return dict(inputs=inputs, data_samples=samples)


# ------------------------------------------------------------------------------------------- timing


def synchronize(device: str) -> None:
    if device.startswith('cuda'):
        torch.cuda.synchronize(device)


def interleaved_timing(steps: Dict[str, Callable[[], Any]], device: str, warmup: int, reps: int,
                       calls_per_rep: int) -> Dict[str, List[float]]:
    """Seconds per call of each step, one value per repetition.

    Every repetition runs ``calls_per_rep`` calls of each step in turn, the order rotated by one
    each repetition, so slow phases of a shared machine hit every step alike; ``warmup`` calls of
    each step come first and are not timed.
    """
    if reps < 1 or calls_per_rep < 1 or warmup < 0:
        raise ValueError(f'need reps >= 1, calls_per_rep >= 1, warmup >= 0; got {reps}, '
                         f'{calls_per_rep}, {warmup}')
    names = list(steps)
    for name in names:
        for _ in range(warmup):
            steps[name]()
    synchronize(device)
    times: Dict[str, List[float]] = {name: [] for name in names}
    for rep in range(reps):
        for name in names[rep % len(names):] + names[:rep % len(names)]:
            start = time.perf_counter()
            for _ in range(calls_per_rep):
                steps[name]()
            synchronize(device)
            times[name].append((time.perf_counter() - start) / calls_per_rep)
    return times


# --------------------------------------------------------------------------------------- statistics


def summarize(values: Sequence[float]) -> Dict[str, float]:
    """Median, quartiles, extremes and count of ``values``."""
    if not len(values):
        raise ValueError('summarize: no values')
    q1, median, q3 = np.percentile(values, [25, 50, 75])
    return dict(
        median=float(median),
        q1=float(q1),
        q3=float(q3),
        min=float(np.min(values)),
        max=float(np.max(values)),
        n=len(values))


def paired_ratios(times: Dict[str, List[float]], reference: str) -> Dict[str, List[float]]:
    """Per repetition, each step's time divided by the ``reference`` step's time of the same
    repetition (robust to load that drifts between repetitions)."""
    if reference not in times:
        raise KeyError(f'reference {reference!r} is not one of {list(times)}')
    return {name: [t / r for t, r in zip(values, times[reference])] for name, values in times.items()}


def ratio_of_minima(times: Dict[str, List[float]], reference: str) -> Dict[str, float]:
    """Each step's fastest repetition divided by the ``reference`` step's fastest: on a shared
    machine the least disturbed estimate, beside the paired ratios' median."""
    if reference not in times:
        raise KeyError(f'reference {reference!r} is not one of {list(times)}')
    return {name: min(values) / min(times[reference]) for name, values in times.items()}


def format_summary(summary: Dict[str, float], digits: int = 3) -> str:
    """``'0.512 [0.501, 0.530]'``: the median and the interquartile range."""
    return f'{summary["median"]:.{digits}f} [{summary["q1"]:.{digits}f}, {summary["q3"]:.{digits}f}]'


# ------------------------------------------------------------------------------------------- memory


def _proc_status_mib(field: str) -> float:
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith(field + ':'):
                return int(line.split()[1]) * 1024 / MIB
    raise RuntimeError(f'/proc/self/status has no {field} (peak RSS needs Linux)')


def _reset_peak_rss() -> None:
    # Writing 5 to clear_refs resets VmHWM (the peak RSS) to the current RSS (Linux >= 4.0).
    with open('/proc/self/clear_refs', 'w') as f:
        f.write('5')


def _measure_peak(setup: Callable[..., Callable[[], Any]], args: tuple, device: str) -> Dict[str, float]:
    work = setup(*args)
    synchronize(device)
    result = {}
    if device.startswith('cuda'):
        torch.cuda.reset_peak_memory_stats(device)
        before_gpu = torch.cuda.memory_allocated(device)
    _reset_peak_rss()
    rss_before = _proc_status_mib('VmRSS')
    work()
    synchronize(device)
    peak_rss = _proc_status_mib('VmHWM')
    result.update(rss_before_mib=rss_before, peak_rss_mib=peak_rss, peak_rss_delta_mib=peak_rss - rss_before)
    if device.startswith('cuda'):
        peak_gpu = torch.cuda.max_memory_allocated(device)
        result.update(
            cuda_peak_allocated_mib=peak_gpu / MIB, cuda_peak_delta_mib=(peak_gpu - before_gpu) / MIB)
    return result


def peak_memory_in_fresh_process(setup: Callable[..., Callable[[], Any]], args: tuple,
                                 device: str) -> Dict[str, float]:
    """Peak memory of ``setup(*args)()``'s work, in a new (spawned) Python process.

    ``setup`` (a module-level function) builds what the work needs and returns the work; only the
    work is measured: the peak resident set size (VmHWM, reset after the setup) minus the RSS just
    before it, i.e. activations, gradients, optimizer states and allocator overhead, but not the
    weights or the imports. A fresh process keeps memory freed by other models (and kept by the
    allocator) out of the number. On CUDA it also reports ``torch.cuda.max_memory_allocated``
    (weights included) and its increase during the work.
    """
    with multiprocessing.get_context('spawn').Pool(1) as pool:
        return pool.apply(_measure_peak, (setup, args, device))


# -------------------------------------------------------------------------------------- the machine


def cpu_model_name() -> str:
    """``model name`` of /proc/cpuinfo (what ``lscpu`` prints), or ``platform.processor()``."""
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or 'unknown'


def machine_info(device: str) -> Dict[str, Any]:
    """Where and under which load a benchmark ran (load average: 1, 5, 15 minutes)."""
    info = dict(
        cpu=cpu_model_name(),
        cpu_count=os.cpu_count(),
        torch_threads=torch.get_num_threads(),
        torch=torch.__version__,
        device=device,
        load_average=[round(x, 2) for x in os.getloadavg()])
    if device.startswith('cuda'):
        info['gpu'] = torch.cuda.get_device_name(device)
    return info


def format_machine(info: Dict[str, Any]) -> str:
    text = (f'{info["cpu"]}, {info["cpu_count"]} cores, torch {info["torch"]} with '
            f'{info["torch_threads"]} thread(s), device {info["device"]}')
    if 'gpu' in info:
        text += f' ({info["gpu"]})'
    return text + ', load average ' + ' / '.join(f'{x:.2f}' for x in info['load_average'])


def write_json(path: str, data: Any) -> None:
    mkdir_or_exist(osp.dirname(osp.abspath(path)))
    with open(path, 'w') as f:
        json.dump(data, f, indent=2)
    print(f'Wrote {path}')
