"""Config changes made by options of ``tools/train.py`` (``--resume``, the checkpoint trust policy)
and ``tools/test.py`` (``--tta``, ``--out``), importable so that they are tested without running the
tools (``--amp``: :func:`mmseg_mman.engine.enable_amp`)."""
import inspect
import logging
import os.path as osp
from typing import List, Mapping

from mmengine.config import Config, ConfigDict
from mmengine.logging import print_log
from mmseg.registry import METRICS

from ...utils.checkpoint import newest_complete_checkpoint, register_safe_checkpoint_loader, trust_checkpoint


class NoCompleteCheckpointError(FileNotFoundError):
    """``--resume`` found checkpoints in the work_dir, none of them complete."""


def apply_resume(cfg: Config, resume: str) -> None:
    """``--resume PATH`` resumes from PATH; ``--resume`` alone (``'auto'``) from the newest complete
    checkpoint of the work_dir, saying which newer files it skipped (incomplete: a save that did not
    finish, or named by ``last_checkpoint`` but missing), or trains from the start if the work_dir
    holds no checkpoint at all.

    Raises:
        NoCompleteCheckpointError: the work_dir holds checkpoints, none of them complete.
    """
    cfg.resume = True
    if resume != 'auto':
        cfg.load_from = resume
        return
    found, skipped = newest_complete_checkpoint(cfg.work_dir)
    for path in skipped:
        why = 'incomplete (a save that did not finish)' if osp.exists(
            path) else 'named by last_checkpoint, missing'
        print_log(f'--resume: skipping {path}: {why}', logger='current', level=logging.WARNING)
    if found is None and skipped:
        raise FileNotFoundError(
            f'--resume: no complete checkpoint in {cfg.work_dir}; skipped: {", ".join(skipped)}')
    if found is not None:
        print_log(f'--resume: resuming from {found}', logger='current')
    cfg.load_from = found


def trust_own_checkpoints(cfg: Config, trust_load_from: bool) -> None:
    """Trust the work_dir and the resumed (or explicitly trusted) ``load_from``.

    Everything else (pretrained weights, ``load_from`` to fine-tune from) loads weights-only.
    """
    register_safe_checkpoint_loader()
    trust_checkpoint(cfg.work_dir)
    if cfg.get('load_from') and (trust_load_from or cfg.get('resume', False)):
        trust_checkpoint(cfg.load_from)


def use_tta(cfg: Config) -> None:
    """Wrap the model into the config's ``tta_model`` and test with ``tta_pipeline``."""
    for key in ('tta_model', 'tta_pipeline'):
        if key not in cfg:
            raise KeyError(f'`--tta` needs `{key}` in the config, found none.')
    cfg.test_dataloader.dataset.pipeline = cfg.tta_pipeline
    cfg.tta_model.module = cfg.model
    cfg.model = cfg.tta_model
    drop_metrics_needing_whole_inference(cfg)


def drop_metrics_needing_whole_inference(cfg: Config) -> None:
    """Remove metrics that read outputs only single-view inference gives (``LowResIoUMetric``)."""
    evaluator = cfg.test_evaluator
    metric_cfgs = evaluator if isinstance(evaluator, list) else [evaluator]
    kept = [m for m in metric_cfgs if not getattr(_metric_class(m), 'needs_whole_inference', False)]
    for metric_cfg in metric_cfgs:
        if metric_cfg not in kept:
            print_log(
                f'--tta: not computing {metric_cfg["type"]} (needs single-view inference)',
                logger='current',
                level=logging.WARNING)
    if not kept:
        raise ValueError('--tta: every metric of test_evaluator needs single-view inference')
    cfg.test_evaluator = kept if isinstance(evaluator, list) else kept[0]


def _metric_class(metric_cfg: ConfigDict) -> type:
    metric_type = metric_cfg['type']
    metric_cls = METRICS.get(metric_type) if isinstance(metric_type, str) else metric_type
    if metric_cls is None:
        raise KeyError(f'test_evaluator: metric type {metric_type!r} is not registered '
                       'in mmseg.registry.METRICS')
    return metric_cls


def _init_parameters(metric_cfg: ConfigDict) -> Mapping[str, inspect.Parameter]:
    return inspect.signature(_metric_class(metric_cfg).__init__).parameters


def save_predictions_to(cfg: Config, out_dir: str) -> None:
    """Make every metric that can (``IoUMetric``, ...) keep its predictions in ``out_dir``.

    ``test_evaluator`` may be one metric config or a list of them.
    """
    evaluator = cfg.test_evaluator
    metric_cfgs: List[ConfigDict] = evaluator if isinstance(evaluator, list) else [evaluator]
    writers = 0
    for metric_cfg in metric_cfgs:
        parameters = _init_parameters(metric_cfg)
        if 'output_dir' not in parameters:
            continue
        metric_cfg['output_dir'] = out_dir
        takes_any_keyword = any(param.kind == param.VAR_KEYWORD for param in parameters.values())
        if 'keep_results' in parameters or takes_any_keyword:
            metric_cfg['keep_results'] = True
        writers += 1
    if writers == 0:
        raise ValueError('`--out`: no metric of test_evaluator takes `output_dir`; '
                         f'types: {[metric["type"] for metric in metric_cfgs]}')
