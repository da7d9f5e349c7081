"""Convert Clothing Co-Parsing (CCP) to mmseg's layout, 8 coarse classes.

Input: the original repository layout::

    clothing-co-parsing/
    ├── photos/NNNN.jpg
    ├── annotations/pixel-level/NNNN.mat   (uint8 `groundtruth`, H x W)
    └── label_list.txt                     ("index<TAB>name", 59 labels)

Only photos with a pixel-level annotation are converted (1,004 in the
original release; the rest have image-level tags only). Each fine label is
mapped by name with ``mmseg_mman.datasets.CCP_LABEL_TO_COARSE`` (table in
:class:`mmseg_mman.datasets.CCPDataset`); an unknown name in label_list.txt,
a value outside label_list, a missing photo or a size mismatch stops the
conversion with the file named. The split is a seeded permutation of the
sorted ids: ``round(val_ratio * N)`` go to val (0.2 and seed 0 by default:
1,004 -> 803 train / 201 val, 804 -> 643 / 161). Output (what
configs/_base_/datasets/ccp.py reads)::

    data/ccp/img_dir/{train,val}/NNNN.jpg
    data/ccp/ann_dir/{train,val}/NNNN.png   (values 0..7)
    data/ccp/{train,val}.txt                (the ids of each split)

Usage (``mmseg_mman`` must be importable, e.g. ``pip install -e .``)::

    python tools/dataset_converters/ccp.py path/to/clothing-co-parsing \
        -o data/ccp [--val-ratio 0.2] [--seed 0]
"""
import argparse
import os
import os.path as osp
from typing import Dict, List, Optional

import numpy as np
import scipy.io
from mmengine.utils import mkdir_or_exist
from PIL import Image

from mmseg_mman.datasets.ccp import CCP_LABEL_TO_COARSE
from .common import (ConversionError, Sample, copy_if_changed, remove_stale_outputs, run_with_progress,
                     write_label_png)

MAT_FOLDER = osp.join('annotations', 'pixel-level')


def read_label_list(path: str) -> Dict[int, str]:
    """``index -> name`` of label_list.txt (``index<TAB>name`` lines)."""
    if not osp.isfile(path):
        raise ConversionError(f'label list {path} not found')
    names = {}
    with open(path) as f:
        for line_no, line in enumerate(f, 1):
            if not line.strip():
                continue
            fields = line.split(maxsplit=1)
            if len(fields) != 2 or not fields[0].isdigit():
                raise ConversionError(f'{path}:{line_no}: expected "index<TAB>name", got '
                                      f'{line.strip()!r}')
            names[int(fields[0])] = fields[1].strip()
    return names


def build_coarse_lut(names: Dict[int, str], path: str) -> np.ndarray:
    """256-entry table fine label index -> coarse id, -1 where undefined."""
    unknown = sorted(set(names.values()) - CCP_LABEL_TO_COARSE.keys())
    if unknown:
        raise ConversionError(f'{path}: label name(s) {unknown} have no coarse class in '
                              'CCP_LABEL_TO_COARSE (mmseg_mman/datasets/ccp.py)')
    lut = np.full(256, -1, dtype=np.int16)
    for index, name in names.items():
        lut[index] = CCP_LABEL_TO_COARSE[name]
    return lut


def read_groundtruth(path: str) -> np.ndarray:
    try:
        mat = scipy.io.loadmat(path)
    except Exception as error:  # scipy raises several types for bad files
        raise ConversionError(f'cannot read {path}: {error}') from error
    if 'groundtruth' not in mat:
        raise ConversionError(f'{path} has no variable `groundtruth` '
                              f'(has {sorted(k for k in mat if k[0] != "_")})')
    groundtruth = mat['groundtruth']
    if groundtruth.ndim != 2 or groundtruth.dtype.kind not in 'ui':
        raise ConversionError(f'{path}: `groundtruth` must be an integer '
                              f'H x W map, got {groundtruth.dtype} '
                              f'{groundtruth.shape}')
    return groundtruth


def make_converter(lut: np.ndarray):

    def convert(sample: Sample) -> None:
        groundtruth = read_groundtruth(sample.label_src)
        out_of_range = (groundtruth < 0) | (groundtruth > 255)
        coarse = lut[np.where(out_of_range, 255, groundtruth)]
        undefined = out_of_range | (coarse < 0)
        if undefined.any():
            raise ConversionError(f'{sample.label_src}: value(s) '
                                  f'{np.unique(groundtruth[undefined]).tolist()} are not '
                                  'indices of label_list.txt')
        with Image.open(sample.image_src) as image:
            width, height = image.size
        if groundtruth.shape != (height, width):
            raise ConversionError(f'{sample.sample_id}: photo {sample.image_src} is '
                                  f'{width}x{height} but {sample.label_src} is '
                                  f'{groundtruth.shape[1]}x{groundtruth.shape[0]}')
        copy_if_changed(sample.image_src, sample.image_dst)
        write_label_png(coarse.astype(np.uint8), sample.label_dst)

    return convert


def split_ids(ids: List[str], val_ratio: float, seed: int) -> Dict[str, List[str]]:
    """Seeded permutation of the sorted ids; the first part goes to val."""
    if not 0 <= val_ratio < 1:
        raise ConversionError(f'--val-ratio must be in [0, 1), got '
                              f'{val_ratio}')
    order = np.random.default_rng(seed).permutation(len(ids))
    num_val = int(round(val_ratio * len(ids)))
    return {
        'train': sorted(ids[i] for i in order[num_val:]),
        'val': sorted(ids[i] for i in order[:num_val]),
    }


def collect_ids(root: str) -> List[str]:
    mat_dir = osp.join(root, MAT_FOLDER)
    for folder in (mat_dir, osp.join(root, 'photos')):
        if not osp.isdir(folder):
            raise ConversionError(f'{folder} not found: the CCP root must hold photos/, '
                                  'annotations/pixel-level/ and label_list.txt')
    ids = sorted(name[:-len('.mat')] for name in os.listdir(mat_dir) if name.endswith('.mat'))
    if not ids:
        raise ConversionError(f'no .mat annotation in {mat_dir}')
    for sample_id in ids:
        photo = osp.join(root, 'photos', f'{sample_id}.jpg')
        if not osp.isfile(photo):
            raise ConversionError(f'annotation {osp.join(mat_dir, sample_id)}.mat has no photo '
                                  f'{photo}')
    return ids


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Convert Clothing Co-Parsing to mmseg\'s layout.')
    parser.add_argument('ccp_root', help='folder with photos/, annotations/pixel-level/, label_list.txt')
    parser.add_argument('-o', '--out-dir', default='data/ccp')
    parser.add_argument('--val-ratio', type=float, default=0.2)
    parser.add_argument('--seed', type=int, default=0)
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    label_list = osp.join(args.ccp_root, 'label_list.txt')
    lut = build_coarse_lut(read_label_list(label_list), label_list)
    splits = split_ids(collect_ids(args.ccp_root), args.val_ratio, args.seed)
    samples = [
        Sample(sample_id, osp.join(args.ccp_root, 'photos', f'{sample_id}.jpg'),
               osp.join(args.ccp_root, MAT_FOLDER, f'{sample_id}.mat'),
               osp.join(args.out_dir, 'img_dir', split, f'{sample_id}.jpg'),
               osp.join(args.out_dir, 'ann_dir', split, f'{sample_id}.png')) for split, ids in splits.items()
        for sample_id in ids
    ]
    removed = remove_stale_outputs(samples)
    run_with_progress(
        samples, make_converter(lut), f"{len(splits['train'])} train / {len(splits['val'])} val samples" +
        (f' ({removed} stale files removed)' if removed else ''))
    mkdir_or_exist(args.out_dir)
    for split, ids in splits.items():
        with open(osp.join(args.out_dir, f'{split}.txt'), 'w') as f:
            f.writelines(f'{sample_id}\n' for sample_id in ids)
    print(f'CCP written to {args.out_dir}')
