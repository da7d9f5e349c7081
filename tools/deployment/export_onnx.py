"""Export a trained parser to ONNX and check it with onnxruntime against PyTorch.

Exported: backbone (+ neck) + decode head, high-resolution output only (no discriminator, no
low-resolution branch). Input ``input``: (N, 3, H, W) float32 image after the config's data
preprocessor (mean/std normalised, RGB for the mmseg configs); output ``seg_logits``:
(N, num_classes, H, W) float32 **logits** at the input resolution (arg-max over channels = the
class map). N, H and W are dynamic. The class names and palette are stored in the file's metadata.

The check runs both on random images of three sizes (the export size and two others, so the
dynamic axes are exercised) and fails, with exit status 1, when a maximum absolute difference of
the logits exceeds ``atol + rtol * max|logit|`` (defaults 1e-4 and 1e-5).

    python tools/deployment/export_onnx.py CONFIG CHECKPOINT --out model.onnx --shape 288 192
"""
import argparse
import os
import os.path as osp
import sys
from typing import List, Optional, Tuple

from mmengine.config import DictAction

import mmseg_mman  # noqa: F401,I001  (first: registers the plugin and the mmcv.ops fallback)
from mmseg_mman.apis import compare_onnx_with_pytorch, export_onnx, init_parser
from mmseg_mman.utils import register_safe_checkpoint_loader, trust_checkpoint

MIN_CHECK_SIZE = 32


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Export a parser to ONNX and check it')
    parser.add_argument('config', help='the config the model was trained with')
    parser.add_argument('checkpoint', help='checkpoint file (published or from training)')
    parser.add_argument('--out', required=True, help='ONNX file to write')
    parser.add_argument(
        '--shape',
        type=int,
        nargs=2,
        default=[512, 512],
        metavar=('H', 'W'),
        help='input size used for tracing (other sizes work too)')
    parser.add_argument('--opset', type=int, default=17, help='ONNX opset version')
    parser.add_argument('--atol', type=float, default=1e-4, help='absolute tolerance on the logits')
    parser.add_argument(
        '--rtol', type=float, default=1e-5, help='tolerance relative to the largest logit magnitude')
    parser.add_argument(
        '--trust-checkpoint',
        action='store_true',
        help='fully unpickle the checkpoint (not needed: the weights of training checkpoints are read '
        'without it). Only for files you trust: unpickling can run arbitrary code.')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction, help='override config settings, xxx=yyy format')
    return parser.parse_args(argv)


def check_sizes(height: int, width: int) -> List[Tuple[int, int]]:
    """The export size, a smaller odd one and a larger one of another aspect ratio."""
    smaller = (max(MIN_CHECK_SIZE, height * 3 // 4) | 1, max(MIN_CHECK_SIZE, width * 3 // 5) | 1)
    larger = (max(MIN_CHECK_SIZE, height * 5 // 4) + 2, max(MIN_CHECK_SIZE, width * 6 // 5))
    return [(height, width), smaller, larger]


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    register_safe_checkpoint_loader()
    if args.trust_checkpoint:
        trust_checkpoint(args.checkpoint)
    model = init_parser(args.config, args.checkpoint, device='cpu', cfg_options=args.cfg_options)
    if osp.dirname(args.out):
        os.makedirs(osp.dirname(args.out), exist_ok=True)
    export_onnx(model, args.out, shape=tuple(args.shape), opset=args.opset)
    print(f'Wrote {args.out} ({osp.getsize(args.out) / 2**20:.1f} MiB): input "input" (N, 3, H, W), '
          f'output "seg_logits" (N, {len(model.dataset_meta["classes"])}, H, W) logits')
    passed = True
    for report in compare_onnx_with_pytorch(model, args.out, check_sizes(*args.shape)):
        tolerance = args.atol + args.rtol * report['max_abs_logit']
        ok = report['max_abs_diff'] <= tolerance
        passed &= ok
        print(f'  image {report["size"][0]}x{report["size"][1]} (network input '
              f'{report["input_size"][0]}x{report["input_size"][1]}): max |onnxruntime - PyTorch| = '
              f'{report["max_abs_diff"]:.3g} (tolerance {tolerance:.3g}, max |logit| '
              f'{report["max_abs_logit"]:.3g}), same class on {100 * report["argmax_agreement"]:.3f}% '
              f'of pixels: {"ok" if ok else "FAILED"}')
    if not passed:
        print(f'{args.out}: onnxruntime disagrees with PyTorch beyond the tolerance', file=sys.stderr)
    return 0 if passed else 1


if __name__ == '__main__':
    sys.exit(main())
