"""Label-id tables of synthetic driving datasets mapped onto Cityscapes' 19 training ids."""
from typing import Mapping

import numpy as np

IGNORE_INDEX = 255


def map_to_train_ids(label: np.ndarray, id_to_train_id: Mapping[int, int]) -> np.ndarray:
    """``(H, W)`` uint8 train-id map of an integer ``(H, W)`` label-id map; ids missing from the table
    (and negative ones) become ``IGNORE_INDEX``."""
    if label.ndim != 2 or label.dtype.kind not in 'ui':
        raise ValueError(f'expected an (H, W) integer label map, got {label.dtype} {label.shape}')
    lut = np.full(max(id_to_train_id) + 1, IGNORE_INDEX, np.uint8)
    for label_id, train_id in id_to_train_id.items():
        lut[label_id] = train_id
    known = (label >= 0) & (label < len(lut))
    return np.where(known, lut[np.where(known, label, 0)], IGNORE_INDEX).astype(np.uint8)
