"""Write Cityscapes train-id maps for GTA5 ("Playing for Data", Richter et al., ECCV 2016).

Input: the release (images and labels archives unpacked into one folder)::

    gta5/
    ├── images/NNNNN.png   (24,966 frames, 1914x1052)
    └── labels/NNNNN.png   (palette PNGs; the palette index is the Cityscapes label id)

Output, next to each label (what ``GTA5Dataset`` and configs/_base_/datasets/gta5_to_cityscapes.py
read)::

    gta5/labels/NNNNN_labelTrainIds.png   (uint8: train ids 0..18, 255 = ignored)

with the table ``mmseg_mman.datasets.GTA5_ID_TO_TRAIN_ID`` (road 7 -> 0 ... bicycle 33 -> 18).
A label without its image (or the reverse) or a label that is not a single-channel id map stops the
conversion with the file named.

Usage (``mmseg_mman`` must be importable, e.g. ``pip install -e .``)::

    python tools/dataset_converters/gta5.py data/gta5 [--nproc 8]
"""
import argparse
import os.path as osp
from typing import List, Optional

import numpy as np
from PIL import Image

from mmseg_mman.datasets.gta5 import GTA5_ID_TO_TRAIN_ID
from .common import ConversionError
from .train_id_maps import collect_label_tasks, convert_all


def read_gta5_ids(path: str) -> np.ndarray:
    """(H, W) label ids of a GTA5 label PNG (the palette indices, not the colours)."""
    with Image.open(path) as image:
        if image.mode not in ('P', 'L'):
            raise ConversionError(f'{path} is a {image.mode} image; GTA5 labels are palette PNGs whose '
                                  'indices are the label ids')
        return np.asarray(image)


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Write Cityscapes train-id maps for GTA5')
    parser.add_argument('gta5_root', help='folder with images/ and labels/')
    parser.add_argument('--nproc', type=int, default=1, help='number of worker processes')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    tasks = collect_label_tasks(osp.join(args.gta5_root, 'images'), osp.join(args.gta5_root, 'labels'))
    convert_all(tasks, read_gta5_ids, GTA5_ID_TO_TRAIN_ID, args.nproc)
    print(f'GTA5: {len(tasks)} train-id maps written to {osp.join(args.gta5_root, "labels")}')
