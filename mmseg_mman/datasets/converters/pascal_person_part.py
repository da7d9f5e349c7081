"""Convert the PASCAL-Person-Part release into mmseg's layout.

Input: the extracted ``pascal_person_part.zip`` and the PASCAL VOC 2010+
``JPEGImages`` folder (e.g. VOCdevkit/VOC2010/JPEGImages)::

    pascal_person_part/
    ├── pascal_person_part_gt/<id>.png          (values 0..6)
    └── pascal_person_part_trainval_list/
        ├── train_id.txt                        (1,716 ids)
        └── val_id.txt                          (1,817 ids)
    VOCdevkit/VOC2010/JPEGImages/<id>.jpg

Output (what ``PascalPersonPartDataset`` and
configs/_base_/datasets/pascal_person_part.py read)::

    data/pascal_person_part/img_dir/{train,val}/<id>.jpg
    data/pascal_person_part/ann_dir/{train,val}/<id>.png

Labels are re-written as single-channel PNGs (a palette PNG keeps its
indices). A label value other than 0..6 or 255, a missing image or label, or
an image whose size differs from its label stops the conversion with the
file named. Split sizes must be 1,716 / 1,817 unless ``--no-verify``.

Usage::

    python tools/dataset_converters/pascal_person_part.py \
        path/to/pascal_person_part path/to/VOCdevkit/VOC2010/JPEGImages \
        -o data/pascal_person_part
"""
import argparse
import os.path as osp
from typing import List, Optional

from .common import (ConversionError, Sample, convert_class_id_sample, read_id_list, remove_stale_outputs,
                     run_with_progress, verify_count)

NUM_CLASSES = 7
SPLITS = {'train': ('train_id.txt', 1716), 'val': ('val_id.txt', 1817)}


def convert_sample(sample: Sample) -> None:
    convert_class_id_sample(sample, NUM_CLASSES)


def split_samples(ppp_root: str, voc_images: str, out_dir: str, split: str, ids: List[str]) -> List[Sample]:
    samples = []
    for sample_id in ids:
        image_src = osp.join(voc_images, f'{sample_id}.jpg')
        if not osp.isfile(image_src):
            raise ConversionError(f'{split} id {sample_id}: image {image_src} not found')
        samples.append(
            Sample(sample_id, image_src, osp.join(ppp_root, 'pascal_person_part_gt', f'{sample_id}.png'),
                   osp.join(out_dir, 'img_dir', split, f'{sample_id}.jpg'),
                   osp.join(out_dir, 'ann_dir', split, f'{sample_id}.png')))
    return samples


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Convert PASCAL-Person-Part to mmseg\'s layout.')
    parser.add_argument(
        'ppp_root', help='folder with pascal_person_part_gt/ and '
        'pascal_person_part_trainval_list/')
    parser.add_argument('voc_images', help='VOC JPEGImages folder')
    parser.add_argument('-o', '--out-dir', default='data/pascal_person_part')
    parser.add_argument(
        '--no-verify', action='store_true', help='accept split sizes other than 1,716 / 1,817')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    for folder in ('pascal_person_part_gt', 'pascal_person_part_trainval_list'):
        if not osp.isdir(osp.join(args.ppp_root, folder)):
            raise ConversionError(f'{osp.join(args.ppp_root, folder)} not found: ppp_root must '
                                  'hold pascal_person_part_gt/ and '
                                  'pascal_person_part_trainval_list/')
    if not osp.isdir(args.voc_images):
        raise ConversionError(f'VOC JPEGImages folder {args.voc_images} '
                              'not found')
    samples = []
    for split, (list_name, expected) in SPLITS.items():
        ids = read_id_list(osp.join(args.ppp_root, 'pascal_person_part_trainval_list', list_name))
        verify_count(f'{split} ids', len(ids), expected, not args.no_verify)
        samples += split_samples(args.ppp_root, args.voc_images, args.out_dir, split, ids)
    removed = remove_stale_outputs(samples)
    run_with_progress(samples, convert_sample,
                      f'{len(samples)} samples' + (f' ({removed} stale files removed)' if removed else ''))
    print(f'PASCAL-Person-Part written to {args.out_dir}')
