"""Parsing quality of the CE-only baseline, Macro-only, Micro-only and MMAN trained with identical
schedules, data and seeds: mIoU, low-resolution mIoU (mIoU_low) and isolated pixel rate (IPR).

Datasets (positional, one or both):

* ``synthetic``: the synthetic LIP-layout data (20 classes) of the CPU demo, written to
  ``--synthetic-root`` if missing; configs ``configs/demo/*`` and ``configs/benchmarks/*synthetic-lip``.
* ``ccp``: the real Clothing Co-Parsing photos at ``--ccp-root`` (the original release: photos/,
  annotations/pixel-level/, label_list.txt), converted once with :mod:`mmseg_mman.datasets.converters.ccp`
  (``tools/dataset_converters/ccp.py``)
  (8 coarse classes, seeded 80/20 split) into ``--ccp-data``; configs ``configs/benchmarks/*ccp-64x64``.

All configs are the CPU demo's recipe: ResNetV1c-18 from scratch, narrow MMANHead, shorter side 72,
64x64 crops, batch 8, Adam 1e-3, ``--iters`` iterations, then one test on the val split. Every
(dataset, seed) trains every variant from the same seed; the table gives each metric (mean and
standard deviation over the seeds when there are several), the difference to the baseline, the
training time, and the paper's LIP numbers (ResNet-101, full schedule) for orientation.

    OMP_NUM_THREADS=1 python tools/benchmarks/quality.py synthetic ccp \\
        --ccp-root path/to/clothing-co-parsing --iters 200 --out work_dirs/benchmarks/quality.json
"""
import argparse
import gc
import os.path as osp
import sys
from typing import Any, Dict, List, Sequence, Tuple

import numpy as np
from mmengine.config import Config, DictAction

from mmseg_mman.datasets.converters import ccp as ccp_converter
from .common import REPO_ROOT, format_machine, machine_info, write_json
from .experiments import (PARSING_METRICS, ensure_synthetic_lip, experiment_config, markdown_table,
                          train_and_test)

BASELINE = 'baseline (CE only)'
VARIANTS = (BASELINE, 'Macro only', 'Micro only', 'MMAN')
#: MMAN with both discriminators on another label-map encoding (Luc et al. 2016, §3.2); the default
#: 'MMAN' variant uses the image + label-map encoding (LabelMapInput).
ENCODINGS = dict(basic='BasicLabelMapInput', product='ProductLabelMapInput', scaling='ScalingLabelMapInput')
ENCODING_VARIANTS = {f'MMAN ({name})': encoding for name, encoding in ENCODINGS.items()}
CONFIGS = {
    'synthetic':
    dict(
        zip(VARIANTS, (
            'configs/demo/do-aspp_r18-d16_1xb8-0.4k_synthetic-lip-64x64.py',
            'configs/benchmarks/mman-macro_r18-d16_1xb8-0.4k_synthetic-lip-64x64.py',
            'configs/benchmarks/mman-micro_r18-d16_1xb8-0.4k_synthetic-lip-64x64.py',
            'configs/demo/mman_r18-d16_1xb8-0.4k_synthetic-lip-64x64.py',
        ))),
    'ccp':
    dict(
        zip(VARIANTS, (
            'configs/benchmarks/do-aspp_r18-d16_1xb8-0.4k_ccp-64x64.py',
            'configs/benchmarks/mman-macro_r18-d16_1xb8-0.4k_ccp-64x64.py',
            'configs/benchmarks/mman-micro_r18-d16_1xb8-0.4k_ccp-64x64.py',
            'configs/benchmarks/mman_r18-d16_1xb8-0.4k_ccp-64x64.py',
        ))),
}
#: Paper Tables 1 and 4 (LIP val, ResNet-101, 30 epochs): mIoU, mIoU_low, IPR.
PAPER_LIP = {
    BASELINE: (44.72, 50.66, 5.62),
    'Macro only': (45.60, 55.79, 4.23),
    'Micro only': (45.52, 53.60, 2.81),
    'MMAN': (46.81, 56.95, 2.47),
}


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('datasets', nargs='+', choices=CONFIGS, help='synthetic and/or ccp')
    parser.add_argument('--ccp-root', help='the original CCP release (needed for ccp)')
    parser.add_argument('--ccp-data', help='where the converted CCP goes (default: <work-dir>/ccp_data)')
    parser.add_argument(
        '--synthetic-root', default='data/synthetic_lip', help='synthetic LIP tree, written if missing')
    parser.add_argument('--num-train', type=int, default=400, help='synthetic training images, if written')
    parser.add_argument('--num-val', type=int, default=100, help='synthetic val images, if written')
    parser.add_argument('--data-seed', type=int, default=0, help='seed of the synthetic data, if written')
    parser.add_argument('--work-dir', default='work_dirs/benchmarks/quality')
    parser.add_argument('--iters', type=int, default=200, help='training iterations of every run')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0], help='training seeds')
    parser.add_argument(
        '--variants',
        nargs='+',
        choices=VARIANTS + tuple(ENCODING_VARIANTS),
        default=list(VARIANTS),
        help='models to train; "MMAN (<encoding>)" is MMAN with both discriminators on that encoding')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        default={},
        help='overrides for every selected variant, e.g. model.gan_loss.loss_type=lsgan '
        '(select the variants whose configs have the keys)')
    parser.add_argument('--out', help='JSON file for the results')
    args = parser.parse_args(argv)
    if 'ccp' in args.datasets and not args.ccp_root:
        parser.error('the ccp dataset needs --ccp-root (the folder with photos/ and annotations/)')
    args.ccp_data = args.ccp_data or osp.join(args.work_dir, 'ccp_data')
    return args


def ensure_ccp(ccp_root: str, out_dir: str) -> None:
    """Convert CCP with the project's converter unless ``out_dir`` already holds both splits."""
    if all(osp.isfile(osp.join(out_dir, f'{split}.txt')) for split in ('train', 'val')):
        print(f'Using the converted CCP in {out_dir}')
        return
    print(f'Converting CCP from {ccp_root} to {out_dir} ...')
    ccp_converter.main([ccp_root, '-o', out_dir])


def data_root(args: argparse.Namespace, dataset: str) -> str:
    if dataset == 'synthetic':
        ensure_synthetic_lip(args.synthetic_root, args.num_train, args.num_val, args.data_seed)
        return args.synthetic_root
    ensure_ccp(args.ccp_root, args.ccp_data)
    return args.ccp_data


def variant_config(dataset: str, variant: str) -> Tuple[str, Dict[str, Any], str]:
    """The config of ``variant``, its overrides and a name for its work_dir."""
    if variant not in ENCODING_VARIANTS:
        config = CONFIGS[dataset][variant]
        return config, {}, osp.splitext(osp.basename(config))[0]
    config = CONFIGS[dataset]['MMAN']
    encoding = ENCODING_VARIANTS[variant]
    overrides = {f'model.discriminators.{name}.inputs': dict(type=encoding) for name in ('macro', 'micro')}
    return config, overrides, f'{osp.splitext(osp.basename(config))[0]}_{encoding}'


def run_config(args: argparse.Namespace, dataset: str, variant: str, seed: int,
               root: str) -> Dict[str, float]:
    config, overrides, slug = variant_config(dataset, variant)
    cfg: Config = experiment_config(
        osp.join(REPO_ROOT, config), osp.join(args.work_dir, dataset, f'seed{seed}', slug),
        f'{dataset}_{slug}_seed{seed}', args.iters, seed, root, {
            **args.cfg_options,
            **overrides
        })
    # Test once at the end only: no validation during training.
    cfg.val_dataloader = cfg.val_cfg = cfg.val_evaluator = None
    print(f'\n=== {dataset}, {variant}, seed {seed}: {config}, {args.iters} iterations ===')
    row, runner = train_and_test(cfg)
    del runner
    gc.collect()
    return row


def mean_and_std(values: Sequence[float]) -> str:
    if len(values) == 1:
        return f'{values[0]:.2f}'
    return f'{np.mean(values):.2f} ± {np.std(values, ddof=1):.2f}'


def table(results: Dict[str, Dict[str, List[Dict[str, float]]]]) -> str:
    """One row per (dataset, variant); metrics over the seeds, the mean difference to the baseline."""
    header = (['data', 'model'] + list(PARSING_METRICS) + [f'Δ{m} vs baseline' for m in PARSING_METRICS] +
              ['train min/run', 'paper LIP: mIoU / mIoU_low / IPR'])
    rows = []
    for dataset, variants in results.items():
        for variant, runs in variants.items():
            cells = [dataset, variant]
            cells += [mean_and_std([run[m] for run in runs]) for m in PARSING_METRICS]
            baseline = variants.get(BASELINE)
            for metric in PARSING_METRICS:
                if baseline is None or variant == BASELINE:
                    cells.append('-')
                else:
                    delta = np.mean([run[metric]
                                     for run in runs]) - np.mean([run[metric] for run in baseline])
                    cells.append(f'{delta:+.2f}')
            cells.append(f'{np.mean([run["train_s"] for run in runs]) / 60:.1f}')
            cells.append(' / '.join(f'{x:.2f}' for x in PAPER_LIP[variant]) if variant in PAPER_LIP else '-')
            rows.append(cells)
    return markdown_table(header, rows)


def main(argv=None) -> Dict[str, Any]:
    args = parse_args(argv)
    before = machine_info('cpu')
    results: Dict[str, Dict[str, List[Dict[str, float]]]] = {}
    for dataset in args.datasets:
        root = data_root(args, dataset)
        results[dataset] = {variant: [] for variant in args.variants}
        for seed in args.seeds:
            for variant in args.variants:
                row = run_config(args, dataset, variant, seed, root)
                results[dataset][variant].append(dict(seed=seed, **row))
    after = machine_info('cpu')
    print(f'\nParsing quality after {args.iters} iterations, seeds {args.seeds} '
          '(mIoU, mIoU_low in %, higher is better; IPR in %, lower is better)')
    print(table(results))
    print(f'Machine: {format_machine(after)} (load average at the start: '
          f'{" / ".join(map(str, before["load_average"]))})')
    report = dict(
        arguments=sys.argv[1:] if argv is None else list(argv),
        iters=args.iters,
        seeds=args.seeds,
        cfg_options=dict(args.cfg_options),
        configs={d: {
            v: variant_config(d, v)[:2]
            for v in args.variants
        }
                 for d in args.datasets},
        machine_at_start=before,
        machine_at_end=after,
        results=results)
    if args.out:
        write_json(args.out, report)
    return report
