"""Write the synthetic two-domain segmentation task (same layouts, shifted colours).

Example::

    python tools/misc/make_synthetic_domains.py data/synthetic_domains --num-train 1000 --num-val 200

``configs/demo/adaptsegnet_r18-d4_1xb8-1k_synthetic-domains-32x32.py`` reads it from
``data/synthetic_domains``.
"""
import argparse
from typing import List, Optional

from mmseg_mman.synthetic.domains import DOMAINS, SPLITS, domain_gap_summary, generate_synthetic_domains


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Write the synthetic two-domain segmentation task')
    parser.add_argument('out_dir', help='root folder of the task (created if missing)')
    parser.add_argument('--num-train', type=int, default=1000, help='training images per domain')
    parser.add_argument('--num-val', type=int, default=200, help='validation images per domain')
    parser.add_argument('--size', type=int, default=32, help='side of the square images in pixels')
    parser.add_argument('--seed', type=int, default=0, help='random seed; same seed, same files')
    parser.add_argument('--overwrite', action='store_true', help='replace the PNGs of an earlier run')
    return parser.parse_args(argv)


def format_summary(result: dict) -> str:
    """Human-readable report of what ``generate_synthetic_domains`` wrote."""
    lines = []
    for domain in DOMAINS:
        for split in SPLITS:
            info = result[domain][split]
            labels = f'labels in {info["ann_dir"]}' if info['ann_dir'] else 'no labels'
            lines.append(f'{domain} {split}: {info["num_images"]} images in {info["img_dir"]}, {labels}; '
                         f'pixel share per class {info["class_share"]}')
    lines.append('mean colour per class (RGB), source -> target:')
    lines += [f'  {name:<12} {src} -> {tgt}' for name, src, tgt in domain_gap_summary()]
    return '\n'.join(lines)


def main(argv: Optional[List[str]] = None) -> dict:
    args = parse_args(argv)
    result = generate_synthetic_domains(
        args.out_dir,
        num_train=args.num_train,
        num_val=args.num_val,
        img_size=args.size,
        seed=args.seed,
        overwrite=args.overwrite)
    print(format_summary(result))
    return result


if __name__ == '__main__':
    main()
