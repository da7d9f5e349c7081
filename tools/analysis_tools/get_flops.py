"""Parameters and FLOPs of an MMAN model's parts, to compare with the paper's Table 5.

Rows: G (backbone + neck + decode head, every output, + auxiliary head: what trains), each
discriminator at the size of the map it judges (image + label map channels), and the inference
network (what prediction and the ONNX export run: the head's high-resolution path only).
FLOPs follow mmengine.analysis (fvcore): one multiply-add = one FLOP; convolutions, norms and
interpolation are counted, activations, pooling and additions are not. No weights are loaded.

    python tools/analysis_tools/get_flops.py configs/mman_r101_lip.py --shape 256 256
"""
import argparse
import sys
from typing import List, Optional

from mmengine.config import DictAction

import mmseg_mman  # noqa: F401,I001  (first: registers the plugin and the mmcv.ops fallback)
from mmseg_mman.apis import load_config, model_complexity

# Luo et al., ECCV 2018, Table 5: the Macro and Micro discriminators together.
PAPER_D_PARAMS = 1.2e6
DEFAULT_SHAPE = (256, 256)  # the paper's training crop


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Parameters and FLOPs of G, the D\'s and the '
                                     'inference network')
    parser.add_argument('config', help='model config')
    parser.add_argument(
        '--shape',
        type=int,
        nargs=2,
        metavar=('H', 'W'),
        help='input size (default: the config\'s crop_size, else 256 256)')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction, help='override config settings, xxx=yyy format')
    return parser.parse_args(argv)


def format_table(rows: List[dict]) -> str:
    lines = [f'{"part":<46} {"input":<20} {"params":>12} {"GFLOPs":>10}']
    for row in rows:
        shape = 'x'.join(str(d) for d in row['input_shape'])
        lines.append(f'{row["name"]:<46} {shape:<20} {row["params"] / 1e6:>11.3f}M '
                     f'{row["flops"] / 1e9:>10.3f}')
    return '\n'.join(lines)


def paper_comparison(rows: List[dict]) -> str:
    discriminators = [row for row in rows if row['name'].startswith('D ')]
    if not discriminators:
        return 'No discriminator in this config (MMAN paper, Table 5: ~1.2M parameters for Macro + Micro D).'
    total = sum(row['params'] for row in discriminators)
    return (f'Discriminators together: {total / 1e6:.3f}M parameters (MMAN paper, Table 5: ~'
            f'{PAPER_D_PARAMS / 1e6:.1f}M for Macro + Micro D); they are not part of the inference '
            'network.')


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options)
    shape = tuple(args.shape or cfg.get('crop_size') or DEFAULT_SHAPE)
    rows = model_complexity(cfg, shape)
    print(format_table(rows))
    print(paper_comparison(rows))
    return 0


if __name__ == '__main__':
    sys.exit(main())
