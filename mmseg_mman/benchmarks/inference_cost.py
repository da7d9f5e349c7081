"""Inference cost of MMAN vs the same backbone with mmseg's plain ASPPHead: images per second and peak
memory, whole-image and with test-time augmentation (scales 0.8 / 1 / 1.2 x flip), measured in one run.

The images go through each config's own ``test_pipeline`` / ``tta_pipeline`` once, before timing
(loading and resizing are not timed); a timed call is ``model.test_step`` (``SegTTAModel.test_step``
with TTA) on one image, pre-processing, prediction at the original size and, with TTA, the merge
included. No discriminator runs at test time. The (model, mode) pairs are timed interleaved after
warm-up, one pass over the images per repetition; median and interquartile range of images/s, and
per repetition the ratio of MMAN's time to the ASPPHead model's time in the same mode. Peak memory:
each pair runs once over the images in a fresh (spawned) process; reported is the increase of the
peak resident set size over the RSS before (CPU), and on CUDA ``torch.cuda.max_memory_allocated``.

Weights: random unless ``--checkpoint`` gives MMAN's (cost does not depend on them). Images: the
validation split of ``--data-root`` (LIP layout), or synthetic LIP-layout images written to a
temporary folder.

Presets: ``r18`` (default on CPU) the CPU demo's ResNetV1c-18 configs (images 96 px tall, tested at
a shorter side of 72); ``r101`` (default with ``--device cuda``) the paper's ResNetV1c-101 LIP
configs (images 384 px tall, tested at a shorter side of 288).

    OMP_NUM_THREADS=1 python tools/benchmarks/inference_cost.py \
        --out work_dirs/benchmarks/inference_cost_r18.json
    python tools/benchmarks/inference_cost.py --device cuda \
        --out work_dirs/benchmarks/inference_cost_r101_cuda.json
"""
import argparse
import sys
import tempfile
from typing import Any, Callable, Dict, List, Optional, Tuple

import torch
import torch.nn as nn
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.runner import load_checkpoint
from mmseg.registry import DATASETS, MODELS

from mmseg_mman.apis.inference import skip_low_res_prediction
from mmseg_mman.synthetic import generate_synthetic_lip
from mmseg_mman.utils import register_safe_checkpoint_loader, trust_checkpoint
from .common import (build_model, format_machine, format_parameter_counts, format_summary, interleaved_timing,
                     load_config, machine_info, paired_ratios, parameter_counts, peak_memory_in_fresh_process,
                     ratio_of_minima, summarize, write_json)
from .experiments import markdown_table

MMAN = 'MMAN'
ASPP = 'ASPPHead (EncoderDecoder)'
MODES = ('whole', 'tta')
PRESETS = {
    'r18':
    dict(
        img_size=96,
        configs={
            MMAN: 'configs/demo/mman_r18-d16_1xb8-0.4k_synthetic-lip-64x64.py',
            ASPP: 'configs/benchmarks/aspp_r18-d16_1xb8-0.4k_synthetic-lip-64x64.py',
        }),
    'r101':
    dict(
        img_size=384,
        configs={
            MMAN: 'configs/mman_r101_lip.py',
            ASPP: 'configs/benchmarks/aspp_r101-d16_1xb1-30e_lip-256x256.py',
        }),
}


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--device', default='cpu', help='cpu or cuda[:i]')
    parser.add_argument('--preset', choices=PRESETS, help='default: r18 on cpu, r101 on cuda')
    parser.add_argument('--mman-config', help='MMAN config (default: the preset\'s)')
    parser.add_argument('--checkpoint', help='MMAN weights (default: random init)')
    parser.add_argument(
        '--trust-checkpoint',
        action='store_true',
        help='fully unpickle --checkpoint (needed for full training checkpoints; '
        'only for files you trust)')
    parser.add_argument(
        '--data-root',
        help='LIP-layout tree whose val images are used '
        '(default: synthetic images in a temporary folder)')
    parser.add_argument(
        '--img-size', type=int, help='height of the synthetic images (default: the preset\'s)')
    parser.add_argument('--num-images', type=int, default=4, help='images per repetition')
    parser.add_argument('--modes', nargs='+', choices=MODES, default=list(MODES))
    parser.add_argument('--warmup', type=int, default=1, help='untimed passes over the images first')
    parser.add_argument('--reps', type=int, default=5, help='timed passes (rounds over model x mode)')
    parser.add_argument('--no-memory', action='store_true', help='skip the peak-memory probes')
    parser.add_argument('--out', help='JSON file for the results')
    args = parser.parse_args(argv)
    args.preset = args.preset or ('r101' if args.device.startswith('cuda') else 'r18')
    preset = PRESETS[args.preset]
    args.img_size = args.img_size or preset['img_size']
    args.configs = dict(preset['configs'])
    if args.mman_config:
        args.configs[MMAN] = args.mman_config
    return args


def prepared_images(cfg: Config, data_root: str, mode: str, num_images: int) -> List[dict]:
    """The first ``num_images`` val samples of ``data_root`` through the config's pipeline for
    ``mode``, each collated as a batch of one."""
    dataset_cfg = cfg.test_dataloader.dataset.copy()
    dataset_cfg.update(data_root=data_root, pipeline=cfg.tta_pipeline if mode == 'tta' else cfg.test_pipeline)
    dataset = DATASETS.build(dataset_cfg)
    if len(dataset) < num_images:
        raise ValueError(f'{data_root} has {len(dataset)} val images, --num-images asks for {num_images}')
    return [pseudo_collate([dataset[i]]) for i in range(num_images)]


def inference_models(config: str, device: str, mode: str, checkpoint: Optional[str],
                     trusted: bool) -> Tuple[nn.Module, nn.Module, Config]:
    """The segmentor in eval mode, what predicts in ``mode`` (the segmentor, or for ``'tta'`` the
    config's TTA model wrapping it) and the config."""
    cfg = load_config(config)
    skip_low_res_prediction(cfg)  # as tools/infer.py predicts
    segmentor = build_model(cfg, device).eval()
    if checkpoint:
        register_safe_checkpoint_loader()
        if trusted:
            trust_checkpoint(checkpoint)
        load_checkpoint(segmentor, checkpoint, map_location=device)
    if mode == 'tta':
        return segmentor, MODELS.build(
            dict(cfg.get('tta_model', dict(type='SegTTAModel')), module=segmentor)), cfg
    return segmentor, segmentor, cfg


def inference_setup(config: str, device: str, mode: str, checkpoint: Optional[str], trusted: bool,
                    data_root: str, num_images: int) -> Tuple[nn.Module, Callable[[], None]]:
    """The segmentor and a callable predicting every prepared image once (one image per call)."""
    segmentor, predictor, cfg = inference_models(config, device, mode, checkpoint, trusted)
    images = prepared_images(cfg, data_root, mode, num_images)

    def one_pass() -> None:
        with torch.no_grad():
            for batch in images:
                predictor.test_step(batch)

    return segmentor, one_pass


def inference_probe(*args) -> Callable[[], None]:
    """What :func:`peak_memory_in_fresh_process` measures: one pass over the images."""
    return inference_setup(*args)[1]


def measure(args: argparse.Namespace, data_root: str) -> Dict[str, Dict[str, Any]]:
    results: Dict[str, Dict[str, Any]] = {}
    passes = {}
    for name, config in args.configs.items():
        checkpoint = args.checkpoint if name == MMAN else None
        for mode in args.modes:
            key = f'{name}, {mode}'
            setup_args = (config, args.device, mode, checkpoint, args.trust_checkpoint, data_root,
                          args.num_images)
            model, passes[key] = inference_setup(*setup_args)
            results[key] = dict(
                model=name, mode=mode, config=config, checkpoint=checkpoint, params=parameter_counts(model))
            if not args.no_memory:
                print(f'Peak memory of {key} (one pass in a fresh process) ...')
                results[key]['memory'] = peak_memory_in_fresh_process(inference_probe, setup_args,
                                                                      args.device)
    print(f'Timing {list(passes)} interleaved: {args.warmup} warm-up + {args.reps} passes over '
          f'{args.num_images} images each ...')
    times = interleaved_timing(passes, args.device, args.warmup, args.reps, calls_per_rep=1)
    for mode in args.modes:
        mode_times = {key: times[key] for key in times if results[key]['mode'] == mode}
        ratios = paired_ratios(mode_times, f'{ASPP}, {mode}')
        fastest_ratios = ratio_of_minima(mode_times, f'{ASPP}, {mode}')
        for key, values in mode_times.items():
            images_per_s = [args.num_images / t for t in values]
            results[key].update(
                s_per_pass=values,
                images_per_s=images_per_s,
                images_per_s_summary=summarize(images_per_s),
                time_ratio_to_aspp=ratios[key],
                time_ratio_to_aspp_summary=summarize(ratios[key]),
                fastest_time_ratio_to_aspp=fastest_ratios[key])
    return results


def table(results: Dict[str, Dict[str, Any]], device: str) -> str:
    header = [
        'model', 'mode', 'images/s, median [IQR]', 'images/s, max',
        'time x ASPPHead: paired, median [min, max]', 'time x ASPPHead: fastest / fastest'
    ]
    memory_key = 'cuda_peak_allocated_mib' if device.startswith('cuda') else 'peak_rss_delta_mib'
    has_memory = all('memory' in row for row in results.values())
    if has_memory:
        header.append('CUDA peak allocated (MiB)' if device.startswith('cuda') else 'peak RSS increase (MiB)')
    header.append('params used (G)')
    rows = []
    for row in results.values():
        ratio = row['time_ratio_to_aspp_summary']
        cells = [
            row['model'], row['mode'],
            format_summary(row['images_per_s_summary'],
                           digits=2), f'{row["images_per_s_summary"]["max"]:.2f}',
            f'{ratio["median"]:.3f} [{ratio["min"]:.3f}, {ratio["max"]:.3f}]',
            f'{row["fastest_time_ratio_to_aspp"]:.3f}'
        ]
        if has_memory:
            cells.append(f'{row["memory"][memory_key]:.0f}')
        rows.append(cells + [format_parameter_counts(row['params'])['G']])
    return markdown_table(header, rows)


def run(args: argparse.Namespace, data_root: str) -> Dict[str, Any]:
    before = machine_info(args.device)
    results = measure(args, data_root)
    after = machine_info(args.device)
    print(f'\nInference cost, preset {args.preset}: {args.num_images} images, batch 1, '
          f'{args.warmup} warm-up + {args.reps} timed passes per model and mode; TTA = scales '
          '0.8 / 1 / 1.2 x flip')
    print(table(results, args.device))
    print(f'Machine: {format_machine(after)} (load average at the start: '
          f'{" / ".join(map(str, before["load_average"]))})')
    return dict(
        preset=args.preset,
        num_images=args.num_images,
        warmup=args.warmup,
        reps=args.reps,
        data_root=args.data_root or f'synthetic, {args.img_size} px tall',
        machine_at_start=before,
        machine_at_end=after,
        models=results)


def main(argv=None) -> Dict[str, Any]:
    args = parse_args(argv)
    if args.data_root:
        report = run(args, args.data_root)
    else:
        with tempfile.TemporaryDirectory() as data_root:
            generate_synthetic_lip(data_root, num_train=0, num_val=args.num_images, img_size=args.img_size)
            report = run(args, data_root)
    report['arguments'] = sys.argv[1:] if argv is None else list(argv)
    if args.out:
        write_json(args.out, report)
    return report
