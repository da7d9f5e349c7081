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
from PIL import Image

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


def read_class_id_label(path: str, num_classes: int, ignore_index: int = 255) -> np.ndarray:
    """(H, W) uint8 class ids of a release's single-channel (or palette) label PNG, checked: values
    ``0 .. num_classes - 1`` or ``ignore_index``."""
    if not osp.isfile(path):
        raise ConversionError(f'label {path} not found')
    with Image.open(path) as image:
        if image.mode not in ('L', 'P'):
            raise ConversionError(f'{path}: expected a single-channel or palette PNG of class '
                                  f'ids, got mode {image.mode} (another packaging?)')
        label = np.array(image)
    values = np.unique(label)
    bad = values[(values >= num_classes) & (values != ignore_index)]
    if bad.size:
        raise ConversionError(f'{path}: label value(s) {bad.tolist()} are not class ids '
                              f'0..{num_classes - 1} (or {ignore_index})')
    return label.astype(np.uint8)


def convert_class_id_sample(sample: Sample, num_classes: int) -> None:
    """Copy the image and re-write the label (checked by :func:`read_class_id_label`) as a
    single-channel PNG; an image of another size than its label stops with both named."""
    label = read_class_id_label(sample.label_src, num_classes)
    with Image.open(sample.image_src) as image:
        width, height = image.size
    if label.shape != (height, width):
        raise ConversionError(f'{sample.sample_id}: image {sample.image_src} is '
                              f'{width}x{height} but label {sample.label_src} is '
                              f'{label.shape[1]}x{label.shape[0]}')
    copy_if_changed(sample.image_src, sample.image_dst)
    write_label_png(label, sample.label_dst)


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
