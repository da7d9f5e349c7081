"""Write Cityscapes train-id maps for SYNTHIA-RAND-CITYSCAPES (Ros et al., CVPR 2016).

Input: the release unpacked::

    RAND_CITYSCAPES/
    ├── RGB/NNNNNNN.png         (9,400 frames, 1280x760)
    └── GT/LABELS/NNNNNNN.png   (16-bit 3-channel PNGs; the first (red) channel is the class id,
                                 the others the instance id)

Output, next to each label (what ``SynthiaDataset`` and
configs/_base_/datasets/synthia_to_cityscapes.py read)::

    RAND_CITYSCAPES/GT/LABELS/NNNNNNN_labelTrainIds.png   (uint8: train ids, 255 = ignored)

with the table ``mmseg_mman.datasets.SYNTHIA_ID_TO_TRAIN_ID`` (16 classes). Pillow cannot read the
16-bit 3-channel labels, OpenCV can (in BGR order: the class id is its last channel). A label without
its image (or the reverse) or an unreadable label stops the conversion with the file named.

Usage (``mmseg_mman`` must be importable, e.g. ``pip install -e .``)::

    python tools/dataset_converters/synthia.py data/synthia [--nproc 8]
"""
import argparse
import os.path as osp
from typing import List, Optional

import cv2
import numpy as np

from mmseg_mman.datasets.synthia import SYNTHIA_ID_TO_TRAIN_ID
from .common import ConversionError
from .train_id_maps import collect_label_tasks, convert_all

RED = 2  # channel index of red in OpenCV's BGR order


def read_synthia_ids(path: str) -> np.ndarray:
    """(H, W) class ids of a SYNTHIA label: its red channel (a single-channel map is taken as is)."""
    label = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    if label is None:
        raise ConversionError(f'cannot read {path}')
    if label.ndim == 2:
        return label
    if label.ndim != 3 or label.shape[2] != 3:
        raise ConversionError(f'{path}: expected a 3-channel label (class id in red), got shape '
                              f'{label.shape}')
    return label[:, :, RED]


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Write Cityscapes train-id maps for SYNTHIA-RAND-CITYSCAPES')
    parser.add_argument('synthia_root', help='folder with RGB/ and GT/LABELS/')
    parser.add_argument('--nproc', type=int, default=1, help='number of worker processes')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    label_dir = osp.join(args.synthia_root, 'GT', 'LABELS')
    tasks = collect_label_tasks(osp.join(args.synthia_root, 'RGB'), label_dir)
    convert_all(tasks, read_synthia_ids, SYNTHIA_ID_TO_TRAIN_ID, args.nproc)
    print(f'SYNTHIA: {len(tasks)} train-id maps written to {label_dir}')
