"""Check a config's datasets before a long training: decode every image and label and list every
problem in one table.

Builds each split's dataset without stopping at its first problem, then reports: folders or
``ann_file`` that cannot be listed, images without labels and labels without images, images of
another extension than ``img_suffix`` (which mmseg would skip), files that cannot be decoded,
labels with several channels, labels of another size than their image, label values outside the
classes (``ignore_index`` and ``reduce_zero_label`` respected). Exit status 0 if there is no
problem (one summary line per split), 1 if there is any, 2 for a bad command line or config.

    python tools/misc/check_dataset.py configs/mman_r101_lip.py --split train val
    python tools/misc/check_dataset.py configs/mman_r101_lip.py \\
        --cfg-options train_dataloader.dataset.data_root=/data/LIP val_dataloader.dataset.data_root=/data/LIP
"""
import argparse
import sys
from typing import List, Optional

from mmengine.config import Config, DictAction

import mmseg_mman  # noqa: F401,I001  (first: registers the plugin and the mmcv.ops fallback)
from mmseg_mman.datasets.check import SPLITS, check_config_datasets, format_report
from mmseg_mman.engine import checked_cfg_options


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Decode every image and label of a config\'s datasets')
    parser.add_argument('config', help='config file')
    parser.add_argument(
        '--split', nargs='+', default=list(SPLITS), choices=SPLITS, help='splits to check (default: all)')
    parser.add_argument(
        '--no-progress', action='store_true', help='no progress bar (drawn only on a terminal anyway)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, e.g. '
        'train_dataloader.dataset.data_root=/data/LIP')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    try:
        cfg = Config.fromfile(args.config)
        if args.cfg_options:
            cfg.merge_from_dict(checked_cfg_options(cfg, args.cfg_options))
    except Exception as error:  # any config error: the user's input, not a crash
        print(f'check_dataset.py: error: cannot read the config {args.config}: {error}', file=sys.stderr)
        return 2
    reports = check_config_datasets(cfg, args.split, progress=sys.stdout.isatty() and not args.no_progress)
    if not reports:
        print(f'check_dataset.py: error: {args.config} has no dataloader for {args.split}', file=sys.stderr)
        return 2
    print(format_report(reports))
    problems = sum(len(report.problems) for report in reports)
    if problems:
        print(f'{problems} problem(s): fix them before training.')
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
