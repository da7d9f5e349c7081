"""Convert the official LIP archives into mmseg's LIP layout.

Input: any mix of the official archives and folders holding their extracted
contents (nested zips included)::

    TrainVal_images.zip
    └── TrainVal_images/{train_images,val_images}/*.jpg (+ *_id.txt)
    TrainVal_parsing_annotations.zip
    └── TrainVal_parsing_annotations.zip (another zip)
        └── {train_segmentations,val_segmentations}/*.png

Files are found by the name of their folder, wherever it sits in an archive
or folder. Output (what ``LIPDataset`` and configs/_base_/datasets/lip.py
read)::

    data/LIP/{train_images,val_images}/*.jpg
    data/LIP/{train_segmentations,val_segmentations}/*.png

Every image must have its label and the reverse; the counts must be the
official 30,462 train / 10,000 val unless ``--no-verify``. Re-running is
cheap: files already in place are skipped.

Usage::

    python tools/dataset_converters/lip.py \
        TrainVal_images.zip TrainVal_parsing_annotations.zip -o data/LIP
"""
import argparse
import os
import os.path as osp
import tempfile
import zipfile
from contextlib import ExitStack
from typing import Dict, List, NamedTuple, Optional, Union

from mmseg_mman.utils.fileio import write_if_changed
from .common import (ConversionError, check_pairs, copy_if_changed, remove_stale, run_with_progress,
                     verify_count)

FOLDER_SUFFIX = {
    'train_images': '.jpg',
    'val_images': '.jpg',
    'train_segmentations': '.png',
    'val_segmentations': '.png',
}
OFFICIAL_COUNTS = {'train': 30462, 'val': 10000}


class ZipMember(NamedTuple):
    archive: str
    name: str
    size: int


Source = Union[str, ZipMember]  # a file on disk or a member of a zip
Found = Dict[str, Dict[str, Source]]  # output folder -> file name -> source


def describe(source: Source) -> str:
    if isinstance(source, ZipMember):
        return f'{source.archive}:{source.name}'
    return source


def record(found: Found, rel_path: str, source: Source) -> None:
    """Keep ``source`` if it sits in one of the LIP folders (first wins)."""
    parts = rel_path.replace('\\', '/').split('/')
    name = parts[-1]
    if len(parts) < 2 or name.startswith('._'):
        return
    folder = parts[-2]
    if folder in FOLDER_SUFFIX and name.endswith(FOLDER_SUFFIX[folder]):
        found[folder].setdefault(name, source)


def scan_zip(path: str, found: Found, tmp_dir: str) -> None:
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if info.is_dir() or info.filename.startswith('__MACOSX/'):
                continue
            if info.filename.lower().endswith('.zip'):
                scan_zip(archive.extract(info, tmp_dir), found, tmp_dir)
            else:
                record(found, info.filename, ZipMember(path, info.filename, info.file_size))


def scan(inputs: List[str], tmp_dir: str) -> Found:
    found: Found = {folder: {} for folder in FOLDER_SUFFIX}
    for path in inputs:
        if zipfile.is_zipfile(path):
            scan_zip(path, found, tmp_dir)
        elif osp.isdir(path):
            for root, _, files in os.walk(path):
                for name in sorted(files):
                    file_path = osp.join(root, name)
                    if name.lower().endswith('.zip'):
                        scan_zip(file_path, found, tmp_dir)
                    else:
                        record(found, osp.relpath(file_path, path), file_path)
        else:
            raise ConversionError(f'{path} is neither a zip file nor a folder')
    return found


def check(found: Found, verify: bool) -> None:
    if not any(found.values()):
        raise ConversionError('no LIP file found: expected folders train_images/, val_images/ '
                              '(*.jpg), train_segmentations/, val_segmentations/ (*.png) in the '
                              'given zips or folders.')
    for split, expected in OFFICIAL_COUNTS.items():
        images = {
            osp.splitext(name)[0]: describe(source)
            for name, source in found[f'{split}_images'].items()
        }
        labels = {
            osp.splitext(name)[0]: describe(source)
            for name, source in found[f'{split}_segmentations'].items()
        }
        check_pairs(images, labels, split)
        verify_count(f'{split} images', len(images), expected, verify)


def write(found: Found, out_dir: str) -> None:
    with ExitStack() as stack:
        archives: Dict[str, zipfile.ZipFile] = {}

        def write_one(task) -> None:
            source, dst = task
            if not isinstance(source, ZipMember):
                copy_if_changed(source, dst)
            else:  # compared by content, as copy_if_changed does
                if source.archive not in archives:
                    archives[source.archive] = stack.enter_context(zipfile.ZipFile(source.archive))
                write_if_changed(dst, archives[source.archive].read(source.name))

        for folder, files in found.items():
            folder_dir = osp.join(out_dir, folder)
            removed = remove_stale(folder_dir, files, ('.jpg', '.png'))
            tasks = [(source, osp.join(folder_dir, name)) for name, source in sorted(files.items())]
            run_with_progress(
                tasks, write_one,
                f'{folder}: {len(tasks)} files' + (f' ({removed} stale removed)' if removed else ''))


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Convert the LIP archives to mmseg\'s LIP layout.')
    parser.add_argument(
        'inputs',
        nargs='+',
        help='TrainVal_images.zip, TrainVal_parsing_annotations.zip and/or '
        'folders with their extracted contents')
    parser.add_argument('-o', '--out-dir', default='data/LIP')
    parser.add_argument('--tmp-dir', help='where nested zips are unpacked (default: system)')
    parser.add_argument(
        '--no-verify', action='store_true', help='accept counts other than 30,462 train / 10,000 val')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(dir=args.tmp_dir) as tmp_dir:
        found = scan(args.inputs, tmp_dir)
        check(found, verify=not args.no_verify)
        write(found, args.out_dir)
    print(f'LIP written to {args.out_dir}')
