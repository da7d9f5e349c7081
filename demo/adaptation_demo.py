"""Train source-only and AdaptSegNet models on the synthetic two-domain task and compare them, on a CPU.

Writes the data (unless it is there), then for every seed trains both demo configs with the same seed,
schedule and data, evaluates each on the target validation set (the number adaptation should raise) and
on the source validation set (which it should keep), and prints the mIoU side by side with the mean
over the seeds:

    python demo/adaptation_demo.py --work-dir adaptation_demo --seeds 0 1 2
"""
import argparse
import json
import os.path as osp
from typing import Dict, List

import numpy as np
import torch
from mmengine.config import Config
from mmengine.runner import TestLoop

import mmseg_mman  # noqa: F401,I001  (first: registers the plugin and the mmcv.ops fallback)
from mmseg_mman.benchmarks.experiments import experiment_config, markdown_table, train_and_test
from mmseg_mman.synthetic import domain_gap_summary, generate_synthetic_domains

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIGS = {
    'source-only': 'configs/demo/source-only_r18-d4_1xb8-1k_synthetic-domains-32x32.py',
    'adapted': 'configs/demo/adaptsegnet_r18-d4_1xb8-1k_synthetic-domains-32x32.py',
}
# Every dataset of the demo configs (the training set holds one per domain).
DATASET_KEYS = ('train_dataloader.dataset.source', 'train_dataloader.dataset.target',
                'val_dataloader.dataset', 'test_dataloader.dataset', 'source_val_dataloader.dataset')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--work-dir', default='adaptation_demo', help='where logs and checkpoints go')
    parser.add_argument('--data-root', default='data/synthetic_domains', help='task folder (made if missing)')
    parser.add_argument('--iters', type=int, default=1000, help='training iterations per model')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2], help='training seeds')
    parser.add_argument('--num-train', type=int, default=1000, help='training images per domain')
    parser.add_argument('--num-val', type=int, default=200, help='validation images per domain')
    parser.add_argument('--data-seed', type=int, default=0, help='seed of the generated data')
    return parser.parse_args()


def ensure_data(args: argparse.Namespace) -> None:
    if osp.isdir(osp.join(args.data_root, 'target', 'img_dir', 'val')):
        print(f'Using the synthetic two-domain task in {args.data_root}')
        return
    print(f'Writing the synthetic two-domain task to {args.data_root} ...')
    generate_synthetic_domains(
        args.data_root, num_train=args.num_train, num_val=args.num_val, seed=args.data_seed)


def demo_config(name: str, seed: int, args: argparse.Namespace) -> Config:
    run = f'{name}_seed{seed}'
    options = {f'{key}.data_root': args.data_root for key in DATASET_KEYS}
    return experiment_config(
        osp.join(REPO_ROOT, CONFIGS[name]),
        osp.join(args.work_dir, run),
        run,
        args.iters,
        seed,
        cfg_options=options)


def train_and_evaluate(cfg: Config) -> Dict[str, float]:
    """Target and source mIoU (%) of the model trained from ``cfg``, and the training minutes."""
    row, runner = train_and_test(cfg, metrics=('mIoU', ))
    source = TestLoop(runner, cfg.source_val_dataloader, cfg.test_evaluator).run()['mIoU']
    return {'target mIoU': row['mIoU'], 'source mIoU': float(source), 'train minutes': row['train_s'] / 60}


def print_table(results: Dict[int, Dict[str, Dict[str, float]]]) -> None:

    def row(label: str, values: Dict[str, Dict[str, float]]) -> List[str]:
        only, adapted = values['source-only'], values['adapted']
        numbers = (only['target mIoU'], adapted['target mIoU'], adapted['target mIoU'] - only['target mIoU'],
                   only['source mIoU'], adapted['source mIoU'])
        return [label] + [f'{value:.2f}' for value in numbers]

    mean = {
        name: {
            key: float(np.mean([results[s][name][key] for s in results]))
            for key in ('target mIoU', 'source mIoU')
        }
        for name in CONFIGS
    }
    header = [
        'seed', 'target mIoU, source-only', 'target mIoU, adapted', 'gain', 'source mIoU, source-only',
        'source mIoU, adapted'
    ]
    print('\n' + markdown_table(header, [row(str(s), v) for s, v in results.items()] + [row('mean', mean)]))
    gains = [results[s]['adapted']['target mIoU'] - results[s]['source-only']['target mIoU'] for s in results]
    print(f'\ngain of adaptation on the target: mean {np.mean(gains):.2f}, smallest {min(gains):.2f} points; '
          f'smallest source mIoU after adaptation: '
          f'{min(results[s]["adapted"]["source mIoU"] for s in results):.2f}')


def main() -> None:
    args = parse_args()
    torch.set_num_threads(1)  # one thread is fastest on small shared machines
    ensure_data(args)
    print('mean colour per class (RGB), source -> target: ' +
          '; '.join(f'{name} {src} -> {tgt}' for name, src, tgt in domain_gap_summary()))
    results: Dict[int, Dict[str, Dict[str, float]]] = {}
    for seed in args.seeds:
        results[seed] = {}
        for name in CONFIGS:
            print(f'\n=== seed {seed}: training {name} ({CONFIGS[name]}), {args.iters} iterations ===')
            results[seed][name] = train_and_evaluate(demo_config(name, seed, args))
            print(json.dumps(results[seed][name]))
    print_table(results)
    out = osp.join(args.work_dir, 'results.json')
    with open(out, 'w') as f:
        json.dump(results, f, indent=2)
    print(f'\nResults: {out}')


if __name__ == '__main__':
    main()
