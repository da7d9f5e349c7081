"""Shared part of the converters that write Cityscapes train-id maps next to the labels of a synthetic
driving dataset (GTA5, SYNTHIA): pair every label with its image, map its ids through a table and
write ``<stem>_labelTrainIds.png`` (uint8, 255 = ignored) beside it. Re-running rewrites nothing that
is already up to date."""
import os
import os.path as osp
from functools import partial
from typing import Callable, List, Mapping, NamedTuple

import numpy as np
from mmengine.utils import track_parallel_progress

from mmseg_mman.datasets.train_ids import map_to_train_ids
from .common import ConversionError, check_pairs, run_with_progress, write_label_png

TRAIN_ID_SUFFIX = '_labelTrainIds.png'


class LabelTask(NamedTuple):
    """One label to convert."""
    src: str
    dst: str


def collect_label_tasks(image_dir: str, label_dir: str) -> List[LabelTask]:
    """A task per ``<stem>.png`` label of ``label_dir`` (earlier outputs excluded); every label must
    have the image ``<stem>.png`` in ``image_dir`` and every image a label."""
    for folder in (image_dir, label_dir):
        if not osp.isdir(folder):
            raise ConversionError(f'{folder} not found')
    images = {
        name[:-len('.png')]: osp.join(image_dir, name)
        for name in os.listdir(image_dir) if name.endswith('.png')
    }
    labels = {
        name[:-len('.png')]: osp.join(label_dir, name)
        for name in os.listdir(label_dir) if name.endswith('.png') and not name.endswith(TRAIN_ID_SUFFIX)
    }
    if not labels:
        raise ConversionError(f'no .png label in {label_dir}')
    check_pairs(images, labels, osp.basename(osp.normpath(label_dir)))
    return [LabelTask(labels[stem], osp.join(label_dir, stem + TRAIN_ID_SUFFIX)) for stem in sorted(labels)]


def convert_label(task: LabelTask, read_ids: Callable[[str], np.ndarray],
                  id_to_train_id: Mapping[int, int]) -> None:
    """Read ``task.src`` with ``read_ids`` (path -> (H, W) integer ids) and write its train ids."""
    write_label_png(map_to_train_ids(read_ids(task.src), id_to_train_id), task.dst)


def convert_all(tasks: List[LabelTask], read_ids: Callable[[str], np.ndarray],
                id_to_train_id: Mapping[int, int], nproc: int) -> None:
    """Convert every task, in ``nproc`` processes when more than one."""
    func = partial(convert_label, read_ids=read_ids, id_to_train_id=id_to_train_id)
    if nproc > 1:
        track_parallel_progress(func, tasks, nproc)
    else:
        run_with_progress(tasks, func, f'{len(tasks)} labels')
