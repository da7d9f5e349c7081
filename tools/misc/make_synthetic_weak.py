"""Write the synthetic weak-supervision task (objects with a small discriminative head and a large,
weakly discriminative body; see ``mmseg_mman/synthetic/weak.py``).

Example::

    python tools/misc/make_synthetic_weak.py data/synthetic_weak --num-train 1000 --num-val 200

``configs/seenet/*synthetic-weak*`` read it from ``data/synthetic_weak``.
"""
import argparse
from typing import List, Optional

from mmseg_mman.synthetic.weak import BODY_TINT, SPLITS, generate_synthetic_weak


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Write the synthetic weak-supervision task')
    parser.add_argument('out_dir', help='root folder of the task (created if missing)')
    parser.add_argument('--num-train', type=int, default=1000, help='training images')
    parser.add_argument('--num-val', type=int, default=200, help='validation images')
    parser.add_argument('--size', type=int, default=64, help='side of the square images in pixels')
    parser.add_argument('--num-classes', type=int, default=4, help='classes including the background (2..5)')
    parser.add_argument('--max-objects', type=int, default=2, help='objects per image at most')
    parser.add_argument(
        '--body-tint',
        type=float,
        default=BODY_TINT,
        help='how far a body is tinted towards its class colour')
    parser.add_argument('--seed', type=int, default=0, help='random seed; same seed, same files')
    parser.add_argument('--overwrite', action='store_true', help='replace the PNGs of an earlier run')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> dict:
    args = parse_args(argv)
    result = generate_synthetic_weak(
        args.out_dir,
        num_train=args.num_train,
        num_val=args.num_val,
        img_size=args.size,
        num_classes=args.num_classes,
        seed=args.seed,
        overwrite=args.overwrite,
        max_objects=args.max_objects,
        body_tint=args.body_tint)
    for split in SPLITS:
        info = result[split]
        where = f'{info["img_dir"]}, labels in {info["ann_dir"]}, tags in {info["tag_file"]}'
        print(f'{split}: {info["num_images"]} images in {where}; pixel share {info["part_share"]}')
    return result


if __name__ == '__main__':
    main()
