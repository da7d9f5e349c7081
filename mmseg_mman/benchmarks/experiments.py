"""Helpers shared by the scripts that train and compare configs end to end (the CPU demo and the
quality benchmark): make the synthetic data, point a config at a data root / schedule / seed, train
and test it with mmengine's :class:`~mmengine.runner.Runner`, and print results as a Markdown table.

Not imported by ``mmseg_mman/__init__.py``: it pulls in the runner, which the plugin itself never needs.
The demos in ``demo/`` and :mod:`mmseg_mman.benchmarks.quality` use it.
"""
import os.path as osp
import time
from typing import Dict, Optional, Sequence, Tuple

from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.runner import Runner

from mmseg_mman.synthetic import generate_synthetic_lip
from .common import format_machine, machine_info, write_json

#: Metrics of the evaluators of the parsing configs (IoUMetric, LowResIoUMetric, IPRMetric).
PARSING_METRICS = ('mIoU', 'mIoU_low', 'IPR')
DATALOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')
#: What :func:`train_and_test` returns: the metrics and timings, and the runner.
TrainResult = Tuple[Dict[str, float], Runner]


def ensure_synthetic_lip(data_root: str, num_train: int, num_val: int, seed: int) -> None:
    """Write the synthetic LIP-layout data to ``data_root`` unless it is already there."""
    if osp.isfile(osp.join(data_root, 'val_id.txt')):
        print(f'Using the synthetic data in {data_root}')
        return
    print(f'Writing synthetic LIP-layout data to {data_root} ...')
    generate_synthetic_lip(data_root, num_train=num_train, num_val=num_val, seed=seed)


def experiment_config(path: str,
                      work_dir: str,
                      name: str,
                      iters: int,
                      seed: int,
                      data_root: Optional[str] = None,
                      cfg_options: Optional[dict] = None) -> Config:
    """Load ``path`` and set its work dir, experiment name, length (evaluation and checkpoint at the end
    only), seed and, if given, the data root of every dataloader; ``cfg_options`` are merged last."""
    cfg = Config.fromfile(path)
    cfg.work_dir = work_dir
    cfg.experiment_name = name
    # the visualizer is a named singleton: a shared name would log every run into the first one's folder
    cfg.visualizer.name = f'visualizer_{name}'
    if data_root is not None:
        for loader in DATALOADERS:
            cfg[loader].dataset.data_root = data_root
    cfg.train_cfg.max_iters = cfg.train_cfg.val_interval = iters
    cfg.default_hooks.checkpoint.interval = iters
    cfg.randomness = dict(seed=seed)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    return cfg


def train_and_test(cfg: Config,
                   metrics: Sequence[str] = PARSING_METRICS,
                   hooks: Sequence[Hook] = ()) -> TrainResult:
    """Train ``cfg`` (with ``hooks`` registered besides the config's), then test it; return the
    ``metrics`` plus ``train_s`` (wall seconds of ``runner.train()``, validation included if the config
    has any) and ``test_s``, and the runner."""
    runner = Runner.from_cfg(cfg)
    for hook in hooks:
        runner.register_hook(hook)
    start = time.perf_counter()
    runner.train()
    train_s = time.perf_counter() - start
    start = time.perf_counter()
    results = runner.test()
    test_s = time.perf_counter() - start
    missing = [key for key in metrics if key not in results]
    if missing:
        raise KeyError(f'{cfg.filename}: the test evaluator reported {sorted(results)}, not {missing}')
    row = {key: float(results[key]) for key in metrics}
    row.update(train_s=train_s, test_s=test_s)
    return row, runner


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table (GitHub flavour) with padded columns, readable as plain text too."""
    if any(len(row) != len(header) for row in rows):
        raise ValueError(f'every row needs {len(header)} cells ({list(header)}), got '
                         f'{[len(row) for row in rows]}')
    cells = [list(map(str, header))] + [list(map(str, row)) for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ['| ' + ' | '.join(cell.ljust(width) for cell, width in zip(row, widths)) + ' |' for row in cells]
    lines.insert(1, '|' + '|'.join('-' * (width + 2) for width in widths) + '|')
    return '\n'.join(lines)


def report(title: str, table: str, result: dict, out: Optional[str] = None) -> dict:
    """Print ``title``, this machine, ``table`` and ``result['summary']``; add the machine to ``result``
    and write it to ``out`` (JSON) if given."""
    result['machine'] = machine_info('cpu')
    print(f'\n{title}\n{format_machine(result["machine"])}')
    print(table)
    print(f'summary: {result["summary"]}')
    if out:
        write_json(out, result)
    return result
