r"""Convert the Stanford Background release (Gould et al., ICCV 2009) to mmseg's layout.

Input: the extracted ``iccv09Data.tar.gz`` (the folder ``iccv09Data``, or a
folder holding it)::

    iccv09Data/
    ├── images/<stem>.jpg                 (715, about 320x240)
    ├── labels/<stem>.regions.txt         (integer matrix of the image's size:
    │                                      0..7 = class, -1 = unknown)
    ├── labels/<stem>.surfaces.txt, labels/<stem>.layers.txt   (ignored)
    └── horizons.txt, README              (ignored)

Classes (README of the release): 0 sky, 1 tree, 2 road, 3 grass, 4 water,
5 building, 6 mountain, 7 foreground object. Unknown (-1) becomes 255, the
ignore index. Stops, naming the file, on: an image without a ``.regions.txt``
or a ``.regions.txt`` without an image (all of them listed), a count other
than 715 (unless ``--no-verify``), a non-integer token (row and column
named), rows of unequal length, a matrix whose size differs from its image,
a value outside -1..7.

Split: the release ships none. Gould et al. evaluate by five-fold
cross-validation on random splits (572 train / 143 test images per fold),
and later work on the dataset (Farabet et al. 2013, Luc et al. 2016) follows
that protocol without publishing the image lists. Here: a seeded permutation
of the sorted stems; ``--fold k`` puts its k-th block of
``round(val_ratio * N)`` stems into val (defaults ``--val-ratio 0.2 --seed 0
--fold 0``: 572 / 143; folds 0..4 with the same seed partition the 715
images into the five folds of a cross-validation). ``--num-val`` sets the
val size directly (e.g. 142 for a 573 / 142 split).

Output (what ``StanfordBackgroundDataset`` and
configs/_base_/datasets/stanford_background.py read)::

    data/stanford_background/img_dir/{train,val}/<stem>.jpg   (copied bytes)
    data/stanford_background/ann_dir/{train,val}/<stem>.png   (uint8, 0..7, 255)
    data/stanford_background/{train,val}.txt                  (the stems)

Every file is written atomically and only when its bytes change, files of
another split or run are removed, so an interrupted or repeated run (also
with another seed or fold) restarts without loss and leaves no stale mix.

Usage (``mmseg_mman`` must be importable, e.g. ``pip install -e .``)::

    python tools/dataset_converters/stanford_background.py path/to/iccv09Data \
        -o data/stanford_background [--val-ratio 0.2] [--seed 0] [--fold 0]
"""
import argparse
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence

import numpy as np
from PIL import Image

from mmseg_mman.utils.fileio import write_if_changed
from .common import (ConversionError, Sample, remove_stale, remove_stale_outputs, run_with_progress,
                     write_label_png)

NUM_CLASSES = 8
UNKNOWN = -1
IGNORE_INDEX = 255
NUM_IMAGES = 715
IMAGE_SUFFIX = '.jpg'
REGIONS_SUFFIX = '.regions.txt'
MAX_NAMES = 10  # file names listed in one error message


def find_root(path: str) -> str:
    """The folder holding ``images/`` and ``labels/``: ``path`` or ``path/iccv09Data``."""
    for root in (path, osp.join(path, 'iccv09Data')):
        if osp.isdir(osp.join(root, 'images')) and osp.isdir(osp.join(root, 'labels')):
            return root
    raise ConversionError(
        f'{path}: no images/ and labels/ folders in it or in {osp.join(path, "iccv09Data")} '
        '(expected the extracted iccv09Data.tar.gz)')


def _names(paths: Sequence[str]) -> str:
    shown = ', '.join(paths[:MAX_NAMES])
    return shown + (f' and {len(paths) - MAX_NAMES} more' if len(paths) > MAX_NAMES else '')


def collect_stems(root: str, verify: bool = True) -> List[str]:
    """Sorted stems of the images; every image has a ``.regions.txt`` and every
    ``.regions.txt`` an image (else the offending files are named)."""
    image_dir, label_dir = osp.join(root, 'images'), osp.join(root, 'labels')
    images = {name[:-len(IMAGE_SUFFIX)] for name in os.listdir(image_dir) if name.endswith(IMAGE_SUFFIX)}
    labels = {name[:-len(REGIONS_SUFFIX)] for name in os.listdir(label_dir) if name.endswith(REGIONS_SUFFIX)}
    missing = [osp.join(image_dir, f'{stem}{IMAGE_SUFFIX}') for stem in sorted(images - labels)]
    orphans = [osp.join(label_dir, f'{stem}{REGIONS_SUFFIX}') for stem in sorted(labels - images)]
    problems = []
    if missing:
        problems.append(f'{len(missing)} image(s) without a labels/<stem>{REGIONS_SUFFIX} file: '
                        f'{_names(missing)}')
    if orphans:
        problems.append(f'{len(orphans)} labels file(s) without an images/<stem>{IMAGE_SUFFIX}: '
                        f'{_names(orphans)}')
    if problems:
        raise ConversionError('; '.join(problems))
    if not images:
        raise ConversionError(f'no {IMAGE_SUFFIX} image in {image_dir}')
    if verify and len(images) != NUM_IMAGES:
        raise ConversionError(f'found {len(images)} images in {image_dir}, the release has {NUM_IMAGES}. '
                              'Check the input, or pass --no-verify to convert a partial tree.')
    return sorted(images)


def read_regions(path: str) -> np.ndarray:
    """The (H, W) int64 matrix of a ``.regions.txt``, values checked to be -1..7."""
    rows = []
    with open(path) as f:
        for line_no, line in enumerate(f, 1):
            tokens = line.split()
            if not tokens:
                continue
            try:
                rows.append([int(token) for token in tokens])
            except ValueError:
                column = next(i for i, token in enumerate(tokens, 1) if not _is_int(token))
                raise ConversionError(f'{path}:{line_no}: token {tokens[column - 1]!r} (column {column}) '
                                      'is not an integer') from None
            if len(rows[-1]) != len(rows[0]):
                raise ConversionError(f'{path}:{line_no}: {len(rows[-1])} values, the first row has '
                                      f'{len(rows[0])}: not a matrix')
    if not rows:
        raise ConversionError(f'{path} holds no values')
    regions = np.array(rows, dtype=np.int64)
    bad = np.unique(regions[(regions < UNKNOWN) | (regions >= NUM_CLASSES)])
    if bad.size:
        raise ConversionError(f'{path}: value(s) {bad.tolist()} are neither a class id '
                              f'0..{NUM_CLASSES - 1} nor {UNKNOWN} (unknown)')
    return regions


def _is_int(token: str) -> bool:
    try:
        int(token)
    except ValueError:
        return False
    return True


def to_label(regions: np.ndarray) -> np.ndarray:
    """uint8 index label: class ids kept, -1 (unknown) -> 255."""
    return np.where(regions == UNKNOWN, IGNORE_INDEX, regions).astype(np.uint8)


def convert_sample(sample: Sample) -> None:
    regions = read_regions(sample.label_src)
    try:
        with Image.open(sample.image_src) as image:
            width, height = image.size
    except OSError as error:
        raise ConversionError(f'cannot read image {sample.image_src}: {error}') from error
    if regions.shape != (height, width):
        raise ConversionError(f'{sample.label_src} is {regions.shape[1]}x{regions.shape[0]} (width x height) '
                              f'but its image {sample.image_src} is {width}x{height}')
    with open(sample.image_src, 'rb') as f:
        write_if_changed(sample.image_dst, f.read())
    write_label_png(to_label(regions), sample.label_dst)


def split_stems(stems: List[str],
                val_ratio: float = 0.2,
                seed: int = 0,
                fold: int = 0,
                num_val: Optional[int] = None) -> Dict[str, List[str]]:
    """Seeded permutation of the sorted stems; its ``fold``-th block of ``num_val`` stems
    (``round(val_ratio * N)`` unless given) goes to val, the rest to train."""
    if num_val is None:
        if not 0 <= val_ratio < 1:
            raise ConversionError(f'--val-ratio must be in [0, 1), got {val_ratio}')
        num_val = int(round(val_ratio * len(stems)))
    elif not 0 <= num_val < len(stems):
        raise ConversionError(f'--num-val must be in [0, {len(stems)}), got {num_val}')
    num_folds = len(stems) // num_val if num_val else 1
    if not 0 <= fold < num_folds:
        raise ConversionError(f'--fold must be in [0, {num_folds}) for {num_val} val images of '
                              f'{len(stems)}, got {fold}')
    order = np.random.default_rng(seed).permutation(len(stems))
    val = set(order[fold * num_val:(fold + 1) * num_val].tolist())
    return {
        'train': [stem for i, stem in enumerate(stems) if i not in val],
        'val': [stem for i, stem in enumerate(stems) if i in val],
    }


def make_samples(root: str, out_dir: str, splits: Dict[str, List[str]]) -> List[Sample]:
    return [
        Sample(stem, osp.join(root, 'images', f'{stem}{IMAGE_SUFFIX}'),
               osp.join(root, 'labels', f'{stem}{REGIONS_SUFFIX}'),
               osp.join(out_dir, 'img_dir', split, f'{stem}.jpg'),
               osp.join(out_dir, 'ann_dir', split, f'{stem}.png')) for split, stems in splits.items()
        for stem in stems
    ]


def remove_partial_files(out_dir: str) -> int:
    """Delete the hidden ``.<name>.partial`` files that a killed run left behind
    (:func:`mmseg_mman.utils.write_atomically` writes through them)."""
    removed = 0
    for kind in ('img_dir', 'ann_dir'):
        for split in ('train', 'val'):
            folder = osp.join(out_dir, kind, split)
            if osp.isdir(folder):
                for name in os.listdir(folder):
                    if name.startswith('.') and name.endswith('.partial'):
                        os.remove(osp.join(folder, name))
                        removed += 1
    return removed


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Convert Stanford Background (iccv09Data) to mmseg\'s layout.')
    parser.add_argument(
        'root', help='the extracted iccv09Data folder (images/, labels/), or a folder holding it')
    parser.add_argument('-o', '--out-dir', default='data/stanford_background')
    parser.add_argument(
        '--val-ratio',
        type=float,
        default=0.2,
        help='share of the images in val (0.2: 572 / 143, one fold of 5)')
    parser.add_argument('--num-val', type=int, default=None, help='val size; overrides --val-ratio')
    parser.add_argument('--seed', type=int, default=0, help='seed of the permutation')
    parser.add_argument(
        '--fold', type=int, default=0, help='which block of the permutation is val (0..4 for 5-fold CV)')
    parser.add_argument('--no-verify', action='store_true', help=f'accept a count other than {NUM_IMAGES}')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    root = find_root(args.root)
    stems = collect_stems(root, verify=not args.no_verify)
    splits = split_stems(stems, args.val_ratio, args.seed, args.fold, args.num_val)
    samples = make_samples(root, args.out_dir, splits)
    removed = remove_stale_outputs(samples)
    for split, names in splits.items():  # an empty split has no sample to clean its folders
        if not names:
            removed += sum(
                remove_stale(osp.join(args.out_dir, kind, split), (), (suffix, ))
                for kind, suffix in (('img_dir', '.jpg'), ('ann_dir', '.png')))
    removed += remove_partial_files(args.out_dir)
    run_with_progress(
        samples, convert_sample, f"{len(splits['train'])} train / {len(splits['val'])} val images" +
        (f' ({removed} stale files removed)' if removed else ''))
    for split, names in splits.items():
        write_if_changed(
            osp.join(args.out_dir, f'{split}.txt'), ''.join(f'{name}\n' for name in names).encode())
    print(f'Stanford Background written to {args.out_dir}')
