"""Semi-supervised parsing on Clothing Co-Parsing (issue 11, item 5): does MMAN gain from CCP's 1,094
tag-only photos, pseudo-labelled by SeeNet with a parser's saliency?

For every seed, at CPU scale (every model a ResNetV1c-18 from scratch):

1. ``parser``: MMAN on the 643 pixel-labelled train photos
   (``configs/benchmarks/mman_r18-d16_1xb8-0.4k_ccp-64x64.py``). It is the comparison (MMAN without
   pseudo labels) and the saliency source of step 3; scored on CCP val (161 photos).

Then, for each tag vocabulary of ``--vocabularies`` (``coarse``: the 8 parsing classes; ``fine``: the 58
garment labels of label_list.txt, attention folded into the 8 classes by ``CCPTagFolding``):

2. ``seenet`` and ``cam``: the tag classifiers on the tag-only photos
   (``configs/seenet/{seenet,cam}_r18-d8_1xb8-1k_ccp-tags-64x96.py``, or ``..._ccp-fine-tags-...``).
3. ``quality_seenet`` / ``quality_cam``: pseudo-label quality on the val photos (tags from their
   labels, which only score; the parser never saw these photos) with the harmonic-mean rule and
   the parser's foreground probability (``seenet+sal(parser)`` / ``cam+sal(parser)``), PseudoLabelMetric.
4. ``pseudo_labels``: SeeNet's pseudo labels of the tag-only photos (what ``tools/test.py
   configs/seenet/seenet-parser-sal_r18-d8_1xb8-1k_ccp-tags-64x96.py CKPT --out DIR`` writes).
5. ``semi``: MMAN on the pixel-labelled plus the pseudo-labelled photos
   (``configs/seenet/mman_r18-d16_1xb8-0.4k_ccp-pseudo-64x64.py``), same schedule and seed as step 1,
   scored on CCP val. The gain is its mIoU minus step 1's.

Each finished step writes ``<work-dir>/seed<N>/<step>.json`` (the fine vocabulary's steps end in
``_fine``) and is skipped when that file exists, so a killed run continues with the step it was in.

    OMP_NUM_THREADS=1 python tools/benchmarks/seenet_semi_supervised.py \\
        --ccp-root path/to/clothing-co-parsing --seeds 0 1 2 \\
        --out work_dirs/benchmarks/seenet_semi_supervised.json
"""
import argparse
import json
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence
from unittest.mock import patch

import cv2
import numpy as np
from mmengine.config import Config
from mmengine.runner import Runner

from mmseg_mman.engine.runner.runner_cfg import save_predictions_to
from .common import REPO_ROOT, write_json
from .experiments import experiment_config, markdown_table, report, train_and_test
from .quality import ensure_ccp

PARSER_CONFIG = 'configs/benchmarks/mman_r18-d16_1xb8-0.4k_ccp-64x64.py'
VARIANTS = ('seenet', 'cam')
VOCABULARIES = ('coarse', 'fine')
#: The configs' tag-source part of their names, per vocabulary.
TAG_SOURCES = dict(coarse='ccp-tags', fine='ccp-fine-tags')
CLASSIFIER_CONFIG = 'configs/seenet/{variant}_r18-d8_1xb8-1k_{tags}-64x96.py'
PSEUDO_LABEL_CONFIG = 'configs/seenet/{variant}-parser-sal_r18-d8_1xb8-1k_{tags}-64x96.py'
SEMI_CONFIG = 'configs/seenet/mman_r18-d16_1xb8-0.4k_ccp-pseudo-64x64.py'
PARSING_METRICS = ('mIoU', )
PSEUDO_METRICS = ('mIoU', 'mIoU_bg', 'ignored', 'precision', 'coverage@0.3', 'leak@0.3')


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--ccp-root', required=True, help='the original CCP release (photos/, annotations/)')
    parser.add_argument(
        '--ccp-data', help='the converted CCP (default: <work-dir>/ccp_data; written if missing)')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument('--parser-iters', type=int, default=400, help='iterations of both MMAN runs')
    parser.add_argument('--classifier-iters', type=int, default=1000, help='iterations of SeeNet and CAM')
    parser.add_argument(
        '--vocabularies',
        nargs='+',
        choices=VOCABULARIES,
        default=list(VOCABULARIES),
        help='tag vocabularies of the classifiers (each one a run of steps 2-5)')
    parser.add_argument('--work-dir', default='work_dirs/benchmarks/seenet_semi_supervised')
    parser.add_argument('--out', help='JSON file for the results')
    args = parser.parse_args(argv)
    if not osp.isdir(osp.join(args.ccp_root, 'annotations', 'image-level')):
        parser.error(f'--ccp-root {args.ccp_root}: no annotations/image-level/ (the tag-only photos\' tags): '
                     'give the original CCP release')
    args.ccp_root = osp.abspath(args.ccp_root)
    args.ccp_data = osp.abspath(args.ccp_data or osp.join(args.work_dir, 'ccp_data'))
    return args


def step_name(step: str, vocabulary: str) -> str:
    """The record name of a classifier step: ``step`` for the coarse vocabulary, ``step_fine`` for fine."""
    return step if vocabulary == 'coarse' else f'{step}_{vocabulary}'


def classifier_config(variant: str, vocabulary: str, pseudo_labels: bool = False) -> str:
    """The config of a tag classifier (``pseudo_labels``: with the parser's saliency)."""
    template = PSEUDO_LABEL_CONFIG if pseudo_labels else CLASSIFIER_CONFIG
    return template.format(variant=variant, tags=TAG_SOURCES[vocabulary])


class SeedRun:
    """The steps of one seed (module docstring), each recorded in ``<step>.json``."""

    def __init__(self, args: argparse.Namespace, seed: int) -> None:
        self.args, self.seed = args, seed
        self.dir = osp.abspath(osp.join(args.work_dir, f'seed{seed}'))

    def step(self, name: str, run) -> dict:
        record = osp.join(self.dir, f'{name}.json')
        if osp.isfile(record):
            with open(record) as f:
                return json.load(f)
        print(f'seed {self.seed}: {name} ...', flush=True)
        result = run()
        write_json(record, result)
        return result

    def config(self, path: str, name: str, iters: int, data_root: Optional[str] = None) -> Config:
        cfg = experiment_config(
            osp.join(REPO_ROOT, path), osp.join(self.dir, name), f'{name}_seed{self.seed}', iters, self.seed,
            data_root)
        cfg.log_level = 'WARNING'
        return cfg

    def train(self,
              path: str,
              name: str,
              iters: int,
              metrics: Sequence[str],
              data_root: Optional[str] = None) -> dict:
        cfg = self.config(path, name, iters, data_root)
        row, _ = train_and_test(cfg, metrics)
        row.update(
            checkpoint=osp.join(cfg.work_dir, f'iter_{iters}.pth'),
            config=osp.join(cfg.work_dir, osp.basename(cfg.filename)))
        return row

    def pseudo_label_runner(self,
                            config: str,
                            classifier: dict,
                            parser: dict,
                            name: str,
                            out_dir: Optional[str] = None) -> Runner:
        with patch.dict(os.environ, PARSER_CONFIG=parser['config'], PARSER_CHECKPOINT=parser['checkpoint']):
            cfg = self.config(config, name, self.args.classifier_iters)
        cfg.load_from = classifier['checkpoint']
        if out_dir is not None:
            save_predictions_to(cfg, out_dir)  # what tools/test.py --out does
        return Runner.from_cfg(cfg)

    def quality(self, config: str, classifier: dict, parser: dict, name: str) -> dict:
        results = self.pseudo_label_runner(config, classifier, parser, name).val()
        return {key: float(results[key]) for key in PSEUDO_METRICS}

    def pseudo_labels(self, config: str, classifier: dict, parser: dict, name: str) -> dict:
        out_dir = osp.join(self.dir, name)
        self.pseudo_label_runner(config, classifier, parser, f'{name}_run', out_dir).test()
        labels = sorted(os.listdir(out_dir))
        counts = np.zeros(256, np.int64)
        for name in labels:
            counts += np.bincount(
                cv2.imread(osp.join(out_dir, name), cv2.IMREAD_UNCHANGED).ravel(), minlength=256)
        return dict(
            out_dir=out_dir,
            num_labels=len(labels),
            ignored=float(100 * counts[255] / counts.sum()),
            class_share={str(c): float(100 * counts[c] / counts.sum())
                         for c in np.flatnonzero(counts)})

    def run(self) -> Dict[str, dict]:
        """Every step's record; the configs read the data roots from the environment while they load."""
        with patch.dict(os.environ, CCP_ROOT=self.args.ccp_root, CCP_DATA=self.args.ccp_data):
            return self._run_steps()

    def _run_steps(self) -> Dict[str, dict]:
        args = self.args
        parser = self.step(
            'parser',
            lambda: self.train(PARSER_CONFIG, 'parser', args.parser_iters, PARSING_METRICS, args.ccp_data))
        rows = dict(parser=parser)
        for vocabulary in args.vocabularies:
            rows.update(self._vocabulary_steps(vocabulary, parser))
        return rows

    def _vocabulary_steps(self, vocabulary: str, parser: dict) -> Dict[str, dict]:
        """Steps 2-5 with the classifiers of one tag vocabulary."""
        args = self.args
        rows = {}
        for variant in VARIANTS:
            name = step_name(variant, vocabulary)
            classifier = self.step(
                name,
                lambda: self.train(classifier_config(variant, vocabulary), name, args.classifier_iters, ()))
            quality = step_name(f'quality_{variant}', vocabulary)
            rows[quality] = self.step(
                quality, lambda: self.quality(
                    classifier_config(variant, vocabulary, True), classifier, parser, quality))
            rows[name] = classifier
        name = step_name('pseudo_labels', vocabulary)
        rows[name] = self.step(
            name, lambda: self.pseudo_labels(
                classifier_config('seenet', vocabulary, True), rows[step_name('seenet', vocabulary)], parser,
                name))
        semi = step_name('semi', vocabulary)
        with patch.dict(os.environ, PSEUDO_LABELS=rows[name]['out_dir']):
            rows[semi] = self.step(semi,
                                   lambda: self.train(SEMI_CONFIG, semi, args.parser_iters, PARSING_METRICS))
        return rows


def summarize(per_seed: Dict[int, Dict[str, dict]], vocabularies: Sequence[str]) -> Dict[str, object]:
    """Per tag vocabulary: the mIoU gain of MMAN with pseudo labels over MMAN without (every seed, mean,
    std) and the mean pseudo-label quality of both classifiers."""
    summary = {}
    for vocabulary in vocabularies:
        semi = step_name('semi', vocabulary)
        gains = [rows[semi]['mIoU'] - rows['parser']['mIoU'] for rows in per_seed.values()]
        quality = {
            f'{variant}+sal(parser)': {
                key: _seed_mean(per_seed, step_name(f'quality_{variant}', vocabulary), key)
                for key in PSEUDO_METRICS
            }
            for variant in VARIANTS
        }
        summary[vocabulary] = dict(
            gain_per_seed=gains,
            gain_mean=float(np.mean(gains)),
            gain_std=float(np.std(gains, ddof=1)) if len(gains) > 1 else 0.0,
            mean_pseudo_label_quality=quality)
    return summary


def _seed_mean(per_seed: Dict[int, Dict[str, dict]], step: str, key: str) -> float:
    return float(np.mean([rows[step][key] for rows in per_seed.values()]))


def format_tables(per_seed: Dict[int, Dict[str, dict]], vocabularies: Sequence[str]) -> str:
    parsing = markdown_table(
        ['seed', 'tags', 'MMAN (pixel labels) mIoU', 'MMAN (+ pseudo labels) mIoU', 'gain'], [[
            str(seed), vocabulary, f'{rows["parser"]["mIoU"]:.2f}',
            f'{rows[step_name("semi", vocabulary)]["mIoU"]:.2f}',
            f'{rows[step_name("semi", vocabulary)]["mIoU"] - rows["parser"]["mIoU"]:+.2f}'
        ] for seed, rows in per_seed.items() for vocabulary in vocabularies])
    quality = markdown_table(['seed', 'tags', 'variant', *PSEUDO_METRICS], [[
        str(seed), vocabulary, f'{variant}+sal(parser)',
        *(f'{rows[step_name(f"quality_{variant}", vocabulary)][key]:.2f}' for key in PSEUDO_METRICS)
    ] for seed, rows in per_seed.items() for vocabulary in vocabularies for variant in VARIANTS])
    return f'{parsing}\n\nPseudo labels of the val photos:\n{quality}'


def main(argv: Optional[Sequence[str]] = None) -> dict:
    args = parse_args(argv)
    ensure_ccp(args.ccp_root, args.ccp_data)
    per_seed = {seed: SeedRun(args, seed).run() for seed in args.seeds}
    title = (f'Semi-supervised CCP parsing, seeds {args.seeds} ({args.parser_iters} MMAN iterations, '
             f'{args.classifier_iters} classifier iterations)')
    result = dict(args=vars(args), per_seed=per_seed, summary=summarize(per_seed, args.vocabularies))
    return report(title, format_tables(per_seed, args.vocabularies), result, args.out)
