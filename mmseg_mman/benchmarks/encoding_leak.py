"""How much a label-map encoding leaks: can a discriminator tell real from fake maps whose labels agree?

For each encoding (the discriminator-input components ``LabelMapInput`` = "image", ``BasicLabelMapInput``,
``ProductLabelMapInput``, ``ScalingLabelMapInput``) a fresh discriminator (MMAN's Micro D by default)
learns to separate real maps (the encoding of the ground truth) from fake ones: the encoding of a
softmax whose arg-max equals the ground truth at every pixel. Nothing but the encoding separates the
two, so a discriminator that succeeds has learnt the value range of the maps (a one-hot map's per-pixel
maximum is always 1, a softmax's is not), not a shape; an encoding that closes the leak keeps it near
chance (accuracy 0.5). The images and labels are synthetic LIP-layout people (20 classes); the fake
softmax puts ``U(margin)`` more logit on the true class than on the best other class, so its per-pixel
maximum spreads like a trained parser's (0.73-0.98 measured in a demo run; reported).

Reported per encoding, over the seeds: patch accuracy on held-out batches (each score of D's map
counts, real correct when D(real) > 0.5 and fake correct when D(fake) < 0.5), the mean D(real) and
D(fake), and the fake maps' per-pixel maximum.

    OMP_NUM_THREADS=1 python tools/benchmarks/encoding_leak.py --seeds 0 1 2 \\
        --out work_dirs/benchmarks/encoding_leak.json
"""
import argparse
import logging
import sys
from typing import Any, Dict, List, Sequence, Tuple

import cv2
import numpy as np
import torch
import torch.nn.functional as F
from mmengine.logging import MMLogger
from mmengine.structures import PixelData
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

from mmseg_mman.models.adversarial_inputs import GeneratorOutputs
from mmseg_mman.synthetic import generate_sample
from .common import format_machine, machine_info, write_json
from .experiments import markdown_table

NUM_CLASSES = 20  # the synthetic people's LIP classes
ENCODINGS = dict(
    image='LabelMapInput',
    basic='BasicLabelMapInput',
    product='ProductLabelMapInput',
    scaling='ScalingLabelMapInput')
MEAN, STD = 128.0, 64.0  # a rough normalisation of the 0-255 images


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--encodings', nargs='+', choices=ENCODINGS, default=list(ENCODINGS))
    parser.add_argument(
        '--discriminator', default='MicroDiscriminator', help='a registered discriminator type')
    parser.add_argument('--base-channels', type=int, default=64, help="the discriminator's width")
    parser.add_argument('--size', type=int, default=64, help='side of the (square) maps')
    parser.add_argument('--batch-size', type=int, default=8)
    parser.add_argument('--steps', type=int, default=300, help='discriminator training steps')
    parser.add_argument('--eval-batches', type=int, default=8, help='held-out batches for the accuracy')
    parser.add_argument('--lr', type=float, default=2e-4, help="Adam's learning rate (MMAN's)")
    parser.add_argument(
        '--margin',
        type=float,
        nargs=2,
        default=(2.5, 6.0),
        help='range of the true class logit lead (default: per-pixel maxima of about 0.73-0.99, as measured '
        'on the demo parser)')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0])
    parser.add_argument('--out', help='JSON file for the results')
    return parser.parse_args(argv)


def people_batch(rng: np.random.Generator, batch_size: int, size: int) -> Tuple[torch.Tensor, torch.Tensor]:
    """(N, 3, size, size) normalised images and (N, size, size) labels of synthetic people."""
    images, labels = [], []
    for _ in range(batch_size):
        image, label = generate_sample(rng, size, (1.0, 1.0))
        images.append(cv2.resize(image, (size, size), interpolation=cv2.INTER_LINEAR))
        labels.append(cv2.resize(label, (size, size), interpolation=cv2.INTER_NEAREST))
    images = (torch.from_numpy(np.stack(images)).permute(0, 3, 1, 2).float() - MEAN) / STD
    return images, torch.from_numpy(np.stack(labels)).long()


def agreeing_logits(labels: torch.Tensor, margin: Sequence[float],
                    generator: torch.Generator) -> torch.Tensor:
    """(N, C, H, W) logits whose arg-max is ``labels`` everywhere: noise, with the true class lifted
    ``U(margin)`` above the best other class."""
    noise = torch.randn(labels.shape[0], NUM_CLASSES, *labels.shape[1:], generator=generator)
    one_hot = F.one_hot(labels, NUM_CLASSES).permute(0, 3, 1, 2).bool()
    best_other = noise.masked_fill(one_hot, float('-inf')).amax(dim=1, keepdim=True)
    lead = margin[0] + (margin[1] - margin[0]) * torch.rand(best_other.shape, generator=generator)
    return torch.where(one_hot, best_other + lead, noise)


def real_and_fake(encoding, images: torch.Tensor, labels: torch.Tensor,
                  logits: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
    samples = [SegDataSample(gt_sem_seg=PixelData(data=label[None])) for label in labels]
    generated = GeneratorOutputs(inputs=images, outputs=dict(high=logits), data_samples=samples)
    return encoding.real_and_fake(generated, 'high')


def leak_of(encoding_type: str, args: argparse.Namespace, seed: int) -> Dict[str, float]:
    """Train a discriminator on one encoding's real vs agreeing fake maps; its held-out scores."""
    MMLogger.get_current_instance().setLevel(logging.WARNING)  # init_weights logs every parameter
    torch.manual_seed(seed)
    rng, generator = np.random.default_rng(seed), torch.Generator().manual_seed(seed)
    encoding = MODELS.build(dict(type=encoding_type))
    discriminator = MODELS.build(
        dict(
            type=args.discriminator,
            in_channels=encoding.in_channels(NUM_CLASSES),
            base_channels=args.base_channels))
    discriminator.init_weights()
    optimizer = torch.optim.Adam(discriminator.parameters(), lr=args.lr, betas=(0.9, 0.999))

    def batch():
        images, labels = people_batch(rng, args.batch_size, args.size)
        logits = agreeing_logits(labels, args.margin, generator)
        return real_and_fake(encoding, images, labels, logits) + (logits.softmax(1).amax(1), )

    for _ in range(args.steps):
        real, fake, _ = batch()
        scores = discriminator(torch.cat([real, fake]))
        targets = torch.cat([torch.ones_like(scores[:len(real)]), torch.zeros_like(scores[len(real):])])
        loss = F.binary_cross_entropy_with_logits(scores, targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return evaluate(discriminator, [batch() for _ in range(args.eval_batches)])


@torch.no_grad()
def evaluate(discriminator: torch.nn.Module, batches: List[tuple]) -> Dict[str, float]:
    real_p = torch.cat([discriminator(real).sigmoid().flatten() for real, _, _ in batches])
    fake_p = torch.cat([discriminator(fake).sigmoid().flatten() for _, fake, _ in batches])
    fake_max = torch.cat([peak.flatten() for _, _, peak in batches])
    accuracy = 0.5 * (float((real_p > 0.5).float().mean()) + float((fake_p < 0.5).float().mean()))
    return dict(
        accuracy=accuracy,
        d_real=float(real_p.mean()),
        d_fake=float(fake_p.mean()),
        fake_max_p5=float(fake_max.quantile(0.05)),
        fake_max_p95=float(fake_max.quantile(0.95)))


def spread(values: Sequence[float]) -> str:
    if len(values) == 1:
        return f'{values[0]:.3f}'
    return f'{np.mean(values):.3f} [{min(values):.3f}, {max(values):.3f}]'


def table(results: Dict[str, List[Dict[str, float]]]) -> str:
    header = ['encoding', 'patch accuracy', 'D(real)', 'D(fake)', 'fake per-pixel max (5%-95%)']
    rows = []
    for name, runs in results.items():
        rows.append([f'{name} ({ENCODINGS[name]})'] +
                    [spread([run[k] for run in runs]) for k in ('accuracy', 'd_real', 'd_fake')] + [
                        f'{np.mean([r["fake_max_p5"] for r in runs]):.2f}-'
                        f'{np.mean([r["fake_max_p95"] for r in runs]):.2f}'
                    ])
    return markdown_table(header, rows)


def main(argv=None) -> Dict[str, Any]:
    args = parse_args(argv)
    before = machine_info('cpu')
    results = {
        name: [dict(seed=seed, **leak_of(ENCODINGS[name], args, seed)) for seed in args.seeds]
        for name in args.encodings
    }
    print(
        f'\nDiscriminator ({args.discriminator}, width {args.base_channels}) on real vs agreeing fake maps, '
        f'{args.steps} steps, seeds {args.seeds} (mean [min, max]; 0.5 = chance, the leak is closed)')
    print(table(results))
    print(f'Machine: {format_machine(machine_info("cpu"))}')
    report = dict(
        arguments=sys.argv[1:] if argv is None else list(argv),
        settings=vars(args),
        machine_at_start=before,
        results=results)
    if args.out:
        write_json(args.out, report)
    return report
