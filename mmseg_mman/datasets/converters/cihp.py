"""Convert the CIHP release (instance-level_human_parsing) into the layout of ``CIHPDataset``.

Input: the extracted release (``instance-level_human_parsing.tar.gz``; the
folder itself or its parent)::

    instance-level_human_parsing/
    ├── Training/
    │   ├── Images/<id>.jpg
    │   ├── Category_ids/<id>.png      (values 0..19: the semantic labels)
    │   └── train_id.txt               (28,280 ids)
    └── Validation/
        ├── Images/<id>.jpg
        ├── Category_ids/<id>.png
        └── val_id.txt                 (5,000 ids)

(``Instance_ids``, ``Human_ids``, ... and ``Testing/``, which has no labels,
are not used.) Output (what ``CIHPDataset`` and configs/_base_/datasets/cihp.py
read)::

    data/CIHP/img_dir/{train,val}/<id>.jpg
    data/CIHP/ann_dir/{train,val}/<id>.png

Labels are re-written as single-channel PNGs. A missing split folder or id
list, a listed id without its image or label, a label value other than 0..19
or 255, or an image whose size differs from its label stops the conversion
with the file named. Split sizes must be 28,280 / 5,000 unless
``--no-verify``.

Usage::

    python tools/dataset_converters/cihp.py path/to/instance-level_human_parsing -o data/CIHP
"""
import argparse
import os.path as osp
from functools import partial
from typing import List, Optional

from .common import (ConversionError, Sample, convert_class_id_sample, read_id_list, remove_stale_outputs,
                     run_with_progress, verify_count)

NUM_CLASSES = 20
RELEASE_FOLDER = 'instance-level_human_parsing'
#: output split -> (release folder, id list, official size)
SPLITS = {'train': ('Training', 'train_id.txt', 28280), 'val': ('Validation', 'val_id.txt', 5000)}


def release_root(path: str) -> str:
    """``path`` or its ``instance-level_human_parsing`` sub-folder, whichever holds the splits."""
    nested = osp.join(path, RELEASE_FOLDER)
    if not osp.isdir(osp.join(path, 'Training')) and osp.isdir(nested):
        return nested
    return path


def split_samples(root: str, out_dir: str, split: str, verify: bool) -> List[Sample]:
    folder, list_name, expected = SPLITS[split]
    split_dir = osp.join(root, folder)
    for sub in ('Images', 'Category_ids'):
        if not osp.isdir(osp.join(split_dir, sub)):
            raise ConversionError(f'{split}: {osp.join(split_dir, sub)} not found: the CIHP release '
                                  f'has {folder}/Images/ and {folder}/Category_ids/')
    ids = read_id_list(osp.join(split_dir, list_name))
    verify_count(f'{split} ids in {list_name}', len(ids), expected, verify)
    samples = []
    for sample_id in ids:
        image_src = osp.join(split_dir, 'Images', f'{sample_id}.jpg')
        label_src = osp.join(split_dir, 'Category_ids', f'{sample_id}.png')
        for what, path in (('image', image_src), ('label', label_src)):
            if not osp.isfile(path):
                raise ConversionError(f'{split} id {sample_id} (listed in {list_name}): {what} {path} '
                                      'not found')
        samples.append(
            Sample(sample_id, image_src, label_src, osp.join(out_dir, 'img_dir', split, f'{sample_id}.jpg'),
                   osp.join(out_dir, 'ann_dir', split, f'{sample_id}.png')))
    return samples


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Convert the CIHP release to the layout of CIHPDataset.')
    parser.add_argument('cihp_root', help=f'the extracted {RELEASE_FOLDER}/ folder (or its parent)')
    parser.add_argument('-o', '--out-dir', default='data/CIHP')
    parser.add_argument(
        '--no-verify', action='store_true', help='accept split sizes other than 28,280 train / 5,000 val')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    if not osp.isdir(args.cihp_root):
        raise ConversionError(f'CIHP folder {args.cihp_root} not found')
    root = release_root(args.cihp_root)
    splits = {split: split_samples(root, args.out_dir, split, not args.no_verify) for split in SPLITS}
    samples = [sample for split_samples_ in splits.values() for sample in split_samples_]
    removed = remove_stale_outputs(samples)
    counts = ' / '.join(f'{len(split_samples_)} {split}' for split, split_samples_ in splits.items())
    run_with_progress(samples, partial(convert_class_id_sample, num_classes=NUM_CLASSES),
                      f'CIHP: {counts} samples' + (f' ({removed} stale files removed)' if removed else ''))
    print(f'CIHP written to {args.out_dir}')
