"""Write a synthetic LIP-layout human-parsing dataset (stick-figure people, 20 LIP classes).

Example::

    python tools/misc/make_synthetic_lip.py data/synthetic_lip --num-train 200 --num-val 50 --size 96

The folder can then be read by mmseg's ``LIPDataset`` like the real LIP (``data_root=data/synthetic_lip``).
"""
import argparse
import time
from typing import List, Optional

from mmseg_mman.synthetic.lip import SPLITS, LIPLabel, generate_synthetic_lip


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Write a synthetic dataset in the LIP layout')
    parser.add_argument('out_dir', help='root folder of the dataset (created if missing)')
    parser.add_argument('--num-train', type=int, default=200, help='number of training samples')
    parser.add_argument('--num-val', type=int, default=50, help='number of validation samples')
    parser.add_argument('--size', type=int, default=96, help='image height in pixels (width varies)')
    parser.add_argument('--seed', type=int, default=0, help='random seed; same seed, same files')
    parser.add_argument(
        '--overwrite', action='store_true', help='replace earlier synthetic samples in out_dir')
    return parser.parse_args(argv)


def format_summary(result: dict, seconds: float) -> str:
    """Human-readable report of what ``generate_synthetic_lip`` wrote."""
    lines = [f'Wrote a synthetic LIP dataset to {result["out_dir"]} in {seconds:.1f} s']
    for split in SPLITS:
        info = result[split]
        lines.append(f'  {split}: {info["num_images"]} images in {info["img_dir"]}, '
                     f'labels in {info["seg_map_dir"]}, ids in {info["id_file"]}')
    lines.append('  images containing each class (' + ' / '.join(SPLITS) + '):')
    for label in LIPLabel:
        counts = ' / '.join(str(result[split]['images_per_class'][label]) for split in SPLITS)
        lines.append(f'    {label.value:2d} {label.name.title():<14} {counts}')
    return '\n'.join(lines)


def main(argv: Optional[List[str]] = None) -> dict:
    args = parse_args(argv)
    start = time.perf_counter()
    result = generate_synthetic_lip(
        args.out_dir,
        num_train=args.num_train,
        num_val=args.num_val,
        img_size=args.size,
        seed=args.seed,
        overwrite=args.overwrite)
    print(format_summary(result, time.perf_counter() - start))
    return result


if __name__ == '__main__':
    main()
