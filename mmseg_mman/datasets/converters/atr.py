"""Convert the ATR release (humanparsing) into the layout of ``ATRDataset``, with its split.

Input: the extracted release (the folder itself or its parent)::

    humanparsing/
    ├── JPEGImages/<id>.jpg             (17,700)
    └── SegmentationClassAug/<id>.png   (values 0..17)

The release ships no split. The one used since Liang et al. (TPAMI 2015) is
16,000 train / 700 val / 1,000 test; without ``--split-dir`` it is drawn as a
seeded permutation of the sorted ids (``--num-val`` 700 and ``--num-test`` 1,000
first, the rest train; seed 0), so that it is the same on every machine.
``--split-dir DIR`` takes ``train_id.txt`` / ``val_id.txt`` (/ ``test_id.txt``)
from DIR instead (e.g. the lists of another codebase, to compare with it).
Output (what ``ATRDataset`` and configs/_base_/datasets/atr.py read)::

    data/ATR/img_dir/{train,val,test}/<id>.jpg
    data/ATR/ann_dir/{train,val,test}/<id>.png
    data/ATR/{train,val,test}.txt            (the ids of each split)

Every image must have its label and the reverse; a label value other than
0..17 or 255, or an image whose size differs from its label stops the
conversion with the file named. The release must hold 17,700 pairs unless
``--no-verify``.

Usage::

    python tools/dataset_converters/atr.py path/to/humanparsing -o data/ATR
"""
import argparse
import os
import os.path as osp
from functools import partial
from typing import Dict, List, Optional

import numpy as np

from mmseg_mman.utils.fileio import write_if_changed
from .common import (ConversionError, Sample, check_pairs, convert_class_id_sample, read_id_list,
                     remove_stale_outputs, run_with_progress, verify_count)

NUM_CLASSES = 18
RELEASE_FOLDER = 'humanparsing'
IMAGE_DIR, LABEL_DIR = 'JPEGImages', 'SegmentationClassAug'
OFFICIAL_COUNT = 17700
SPLIT_NAMES = ('train', 'val', 'test')


def release_root(path: str) -> str:
    """``path`` or its ``humanparsing`` sub-folder, whichever holds the release folders."""
    nested = osp.join(path, RELEASE_FOLDER)
    if not osp.isdir(osp.join(path, IMAGE_DIR)) and osp.isdir(nested):
        return nested
    return path


def collect_ids(root: str) -> List[str]:
    """The sorted ids of the release, every image paired with its label."""
    found = {}
    for folder, suffix in ((IMAGE_DIR, '.jpg'), (LABEL_DIR, '.png')):
        folder_path = osp.join(root, folder)
        if not osp.isdir(folder_path):
            raise ConversionError(f'{folder_path} not found: the ATR release has {IMAGE_DIR}/ (*.jpg) '
                                  f'and {LABEL_DIR}/ (*.png)')
        found[folder] = {
            name[:-len(suffix)]: osp.join(folder_path, name)
            for name in os.listdir(folder_path) if name.endswith(suffix) and not name.startswith('._')
        }
    check_pairs(found[IMAGE_DIR], found[LABEL_DIR], 'ATR')
    return sorted(found[IMAGE_DIR])


def seeded_split(ids: List[str], num_val: int, num_test: int, seed: int) -> Dict[str, List[str]]:
    """``num_val`` val and ``num_test`` test ids drawn by a seeded permutation, the rest train."""
    if num_val + num_test >= len(ids):
        raise ConversionError(f'{len(ids)} ATR images cannot hold {num_val} val + {num_test} test '
                              'images and a train split: lower --num-val / --num-test')
    order = [ids[i] for i in np.random.default_rng(seed).permutation(len(ids))]
    return dict(
        train=sorted(order[num_val + num_test:]),
        val=sorted(order[:num_val]),
        test=sorted(order[num_val:num_val + num_test]))


def listed_split(ids: List[str], split_dir: str) -> Dict[str, List[str]]:
    """The splits of ``split_dir``'s id lists (``test_id.txt`` optional), checked against ``ids``."""
    known, splits, owner = set(ids), {}, {}
    for split in SPLIT_NAMES:
        path = osp.join(split_dir, f'{split}_id.txt')
        if split == 'test' and not osp.isfile(path):
            continue
        splits[split] = read_id_list(path)
        for sample_id in splits[split]:
            if sample_id not in known:
                raise ConversionError(f'{path}: id {sample_id} is not in the release')
            if sample_id in owner:
                raise ConversionError(f'{path}: id {sample_id} is also in the {owner[sample_id]} list')
            owner[sample_id] = split
    return splits


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Convert the ATR release to the layout of ATRDataset.')
    parser.add_argument('atr_root', help=f'the extracted {RELEASE_FOLDER}/ folder (or its parent)')
    parser.add_argument('-o', '--out-dir', default='data/ATR')
    parser.add_argument('--split-dir', help='take train_id.txt / val_id.txt (/ test_id.txt) from here')
    parser.add_argument('--num-val', type=int, default=700, help='val images of the seeded split')
    parser.add_argument('--num-test', type=int, default=1000, help='test images of the seeded split')
    parser.add_argument('--seed', type=int, default=0, help='seed of the split')
    parser.add_argument('--no-verify', action='store_true', help='accept another count than 17,700')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    if not osp.isdir(args.atr_root):
        raise ConversionError(f'ATR folder {args.atr_root} not found')
    root = release_root(args.atr_root)
    ids = collect_ids(root)
    verify_count('ATR image/label pairs', len(ids), OFFICIAL_COUNT, not args.no_verify)
    if args.split_dir:
        splits = listed_split(ids, args.split_dir)
    else:
        splits = seeded_split(ids, args.num_val, args.num_test, args.seed)
    samples = [
        Sample(sample_id, osp.join(root, IMAGE_DIR, f'{sample_id}.jpg'),
               osp.join(root, LABEL_DIR, f'{sample_id}.png'),
               osp.join(args.out_dir, 'img_dir', split, f'{sample_id}.jpg'),
               osp.join(args.out_dir, 'ann_dir', split, f'{sample_id}.png'))
        for split, split_ids in splits.items() for sample_id in split_ids
    ]
    removed = remove_stale_outputs(samples)
    counts = ' / '.join(f'{len(split_ids)} {split}' for split, split_ids in splits.items())
    run_with_progress(samples, partial(convert_class_id_sample, num_classes=NUM_CLASSES),
                      f'ATR: {counts} samples' + (f' ({removed} stale files removed)' if removed else ''))
    for split, split_ids in splits.items():
        write_if_changed(
            osp.join(args.out_dir, f'{split}.txt'), ''.join(f'{i}\n' for i in split_ids).encode())
    print(f'ATR written to {args.out_dir}')
