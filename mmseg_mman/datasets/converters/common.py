"""Helpers shared by the dataset converters of this package (CLIs: ``tools/dataset_converters/``).

Each converter first collects and checks every (source, destination) pair,
then writes. Writing is idempotent: a destination that already holds the
same bytes is left alone, and files that a previous run wrote into an output
split folder but that the current run does not produce are removed, so a
re-run with other options never leaves a stale mix behind.
"""
import filecmp
import os
import os.path as osp
import shutil
from collections import defaultdict
from typing import Dict, Iterable, List, NamedTuple, Optional, Sequence

import cv2
import numpy as np
from mmengine.utils import mkdir_or_exist, track_iter_progress

from mmseg_mman.utils.fileio import write_if_changed


class ConversionError(RuntimeError):
    """An input tree that cannot be converted; the message says why."""


class Sample(NamedTuple):
    """One image/label pair to convert: where it comes from and goes to."""
    sample_id: str
    image_src: str
    label_src: str
    image_dst: str
    label_dst: str


def read_id_list(path: str) -> List[str]:
    """Non-empty stripped lines of an id list (extensions dropped)."""
    if not osp.isfile(path):
        raise ConversionError(f'id list {path} not found')
    with open(path) as f:
        return [osp.splitext(line.strip())[0] for line in f if line.strip()]


def verify_count(what: str, found: int, expected: int, verify: bool) -> None:
    """Fail when ``found`` differs from the official count, unless asked."""
    if verify and found != expected:
        raise ConversionError(f'found {found} {what}, the official release has {expected}. '
                              'Check the input, or pass --no-verify to convert a partial tree.')


def check_pairs(images: Dict[str, str], labels: Dict[str, str], split: str) -> None:
    """Every image stem has a label and every label stem has an image.

    ``images`` and ``labels`` map a file stem to the source it comes from.
    """
    for stem in sorted(images.keys() - labels.keys()):
        raise ConversionError(f'{split}: image {images[stem]} has no label (no label file '
                              f'named {stem!r} + suffix)')
    for stem in sorted(labels.keys() - images.keys()):
        raise ConversionError(f'{split}: label {labels[stem]} has no image (no image file '
                              f'named {stem!r} + suffix)')


def copy_if_changed(src: str, dst: str) -> None:
    """Copy ``src`` to ``dst`` unless ``dst`` already holds the same bytes (compared by content,
    not by size or time stamps)."""
    if osp.isfile(dst) and filecmp.cmp(src, dst, shallow=False):
        return
    mkdir_or_exist(osp.dirname(osp.abspath(dst)))
    shutil.copyfile(src, dst)


def write_label_png(label: np.ndarray, dst: str) -> None:
    """Write an (H, W) uint8 label map as a single-channel PNG."""
    if label.ndim != 2 or label.dtype != np.uint8:
        raise ValueError(f'{dst}: expected an (H, W) uint8 label map, got '
                         f'{label.dtype} {label.shape}')
    ok, encoded = cv2.imencode('.png', label)
    if not ok:
        raise OSError(f'cannot encode {dst}')
    write_if_changed(dst, encoded.tobytes())


def remove_stale(folder: str, keep: Iterable[str], suffixes: Sequence[str]) -> int:
    """Delete files ending in ``suffixes`` in ``folder`` not in ``keep``."""
    if not osp.isdir(folder):
        return 0
    keep = set(keep)
    stale = [name for name in os.listdir(folder) if name.endswith(tuple(suffixes)) and name not in keep]
    for name in stale:
        os.remove(osp.join(folder, name))
    return len(stale)


def remove_stale_outputs(samples: Sequence[Sample]) -> int:
    """:func:`remove_stale` on every output folder of ``samples``."""
    keep = defaultdict(set)
    for sample in samples:
        for dst in (sample.image_dst, sample.label_dst):
            keep[osp.dirname(dst), osp.splitext(dst)[1]].add(osp.basename(dst))
    return sum(remove_stale(folder, names, (suffix, )) for (folder, suffix), names in keep.items())


def run_with_progress(tasks: Sequence, func, title: Optional[str] = None):
    """Apply ``func`` to each task with mmengine's progress bar."""
    if title:
        print(title)
    if tasks:
        for task in track_iter_progress(list(tasks)):
            func(task)
