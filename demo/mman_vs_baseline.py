"""Train the CE-only baseline and MMAN side by side on synthetic LIP-layout data, on a CPU.

Writes the data (unless it is there), trains both demo configs with the same seed, schedule and data,
evaluates them (mIoU, low-resolution mIoU, isolated pixel rate), prints the numbers side by side and
writes colourised predictions (image | ground truth | baseline | MMAN) to ``<work-dir>/predictions``.

    python demo/mman_vs_baseline.py --work-dir demo_output
"""
import argparse
import json
import os.path as osp
from typing import Dict, List

import cv2
import numpy as np
import torch
from mmengine.config import Config
from mmengine.runner import Runner
from mmengine.utils import mkdir_or_exist

import mmseg_mman  # noqa: F401,I001  (first: registers the plugin and the mmcv.ops fallback)
from mmseg_mman.benchmarks.experiments import (PARSING_METRICS, ensure_synthetic_lip, experiment_config,
                                               markdown_table, train_and_test)
from mmseg_mman.synthetic import colorize_lip_label

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIGS = {
    'baseline (CE only)': 'configs/demo/do-aspp_r18-d16_1xb8-0.4k_synthetic-lip-64x64.py',
    'MMAN (Macro + Micro D)': 'configs/demo/mman_r18-d16_1xb8-0.4k_synthetic-lip-64x64.py',
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--work-dir', default='demo_output', help='where logs, checkpoints and pictures go')
    parser.add_argument(
        '--data-root', default='data/synthetic_lip', help='synthetic LIP tree (made if missing)')
    parser.add_argument('--iters', type=int, default=400, help='training iterations per model')
    parser.add_argument('--num-train', type=int, default=400)
    parser.add_argument('--num-val', type=int, default=100)
    parser.add_argument('--seed', type=int, default=0, help='seed of the data and of training')
    parser.add_argument('--num-pictures', type=int, default=8, help='validation images to draw')
    return parser.parse_args()


def demo_config(path: str, args: argparse.Namespace, name: str) -> Config:
    work_dir = osp.join(args.work_dir, osp.splitext(osp.basename(path))[0])
    return experiment_config(osp.join(REPO_ROOT, path), work_dir, name, args.iters, args.seed, args.data_root)


def predict_labels(runner: Runner, num: int) -> List[np.ndarray]:
    model = runner.model.eval()
    labels = []
    with torch.no_grad():
        for batch in runner.test_dataloader:
            for sample in model.test_step(batch):
                labels.append(sample.pred_sem_seg.data[0].numpy().astype(np.uint8))
            if len(labels) >= num:
                return labels[:num]
    return labels


def write_pictures(runners: List[Runner], num: int, out_dir: str) -> List[str]:
    mkdir_or_exist(out_dir)
    predictions = [predict_labels(runner, num) for runner in runners]
    dataset = runners[0].test_dataloader.dataset
    paths = []
    for i in range(min(num, len(dataset))):
        info = dataset.get_data_info(i)
        image = cv2.imread(info['img_path'])
        gt = cv2.imread(info['seg_map_path'], cv2.IMREAD_GRAYSCALE)
        panels = [image] + [
            cv2.cvtColor(colorize_lip_label(lab), cv2.COLOR_RGB2BGR)
            for lab in [gt] + [p[i] for p in predictions]
        ]
        path = osp.join(out_dir, osp.splitext(osp.basename(info['img_path']))[0] + '.png')
        cv2.imwrite(path, np.concatenate(panels, axis=1))
        paths.append(path)
    return paths


def print_table(results: Dict[str, Dict[str, float]]) -> None:
    columns = list(next(iter(results.values())))
    rows = [[name] + [f'{row[c]:.3f}' for c in columns] for name, row in results.items()]
    print('\n' + markdown_table(['model'] + columns, rows))
    print('(mIoU and mIoU_low in %, higher is better; IPR = isolated pixel rate in %, lower is better)')


def main() -> None:
    args = parse_args()
    torch.set_num_threads(1)  # one thread is fastest on small shared machines
    ensure_synthetic_lip(args.data_root, args.num_train, args.num_val, args.seed)
    results, runners = {}, []
    for name, path in CONFIGS.items():
        print(f'\n=== Training {name}: {path}, {args.iters} iterations ===')
        metrics, runner = train_and_test(demo_config(path, args, name.split()[0]))
        results[name] = {key: metrics[key] for key in PARSING_METRICS}
        results[name]['s/iter (train+val)'] = metrics['train_s'] / args.iters
        runners.append(runner)
    print_table(results)
    with open(osp.join(args.work_dir, 'results.json'), 'w') as f:
        json.dump(results, f, indent=2)
    pictures = write_pictures(runners, args.num_pictures, osp.join(args.work_dir, 'predictions'))
    print(f'\nResults: {osp.join(args.work_dir, "results.json")}')
    print(f'Predictions (image | ground truth | baseline | MMAN): {len(pictures)} files in '
          f'{osp.dirname(pictures[0]) if pictures else "-"}')


if __name__ == '__main__':
    main()
