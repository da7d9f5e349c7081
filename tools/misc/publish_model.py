"""Make a training checkpoint small and safe to share.

Keeps the generator weights, ``meta.dataset_meta`` (classes, palette) and the config text; drops
the discriminators (``discriminators.*``), the optimizers, the schedulers and the message hub
(training history). The output loads with ``torch.load(weights_only=True)`` and is named
``OUT_PREFIX-<first 8 hex digits of its sha256>.pth``, as OpenMMLab's publish_model does.

The training checkpoint is read without unpickling its Python objects (nothing in it executes),
and the weights must fit the config saved in it (class count included).

    python tools/misc/publish_model.py work_dirs/mman_r101_lip/epoch_30.pth releases/mman_r101_lip
"""
import argparse
import sys
from typing import List, Optional

import mmseg_mman  # noqa: F401,I001  (first: registers the plugin and the mmcv.ops fallback)
from mmseg_mman.apis import publish_checkpoint
from mmseg_mman.utils import CorruptCheckpointError


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Publish a checkpoint for inference')
    parser.add_argument('in_file', help='training checkpoint')
    parser.add_argument('out_prefix', help='output path without the hash, e.g. releases/mman_r101_lip')
    parser.add_argument(
        '--trust-checkpoint',
        action='store_true',
        help='fully unpickle IN_FILE (not needed: its weights are read without it). Only for files '
        'you trust: unpickling can run arbitrary code.')
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    try:
        out_file, summary = publish_checkpoint(args.in_file, args.out_prefix, args.trust_checkpoint)
    except (FileNotFoundError, KeyError, TypeError, ValueError, CorruptCheckpointError) as error:
        print(f'publish_model.py: error: {error}', file=sys.stderr)
        return 2
    print(f'Wrote {out_file}: {summary["kept_weights"]} weight tensors kept, '
          f'{summary["dropped_weights"]} discriminator tensors and {summary["dropped_keys"]} dropped; '
          f'{summary["size_in"] / 2**20:.1f} MiB -> {summary["size_out"] / 2**20:.1f} MiB')
    return 0


if __name__ == '__main__':
    sys.exit(main())
