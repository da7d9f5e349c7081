"""Refuse a checkpoint of another class count before its weights are loaded."""
from mmengine.hooks import Hook
from mmengine.model import BaseTTAModel
from mmseg.registry import HOOKS

from ...models.utils import check_class_count, strip_wrapper_prefix, unwrap


@HOOKS.register_module()
class CheckpointFitHook(Hook):
    """Checks that a loaded checkpoint predicts as many classes as the model of the config.

    mmengine loads ``load_from`` (``tools/test.py``'s checkpoint, a fine-tuning start) non-strictly:
    a classifier of another size is skipped with a log line, and the run goes on with a randomly
    initialised classifier (a 20-class checkpoint tested on an 8-class config prints metrics and
    exits 0). A resume of such a pair crashes later, inside the optimizer. This hook runs in
    ``after_load_checkpoint``, before the weights are copied, for ``load_from`` and ``--resume``,
    and raises a ``ValueError`` naming the checkpoint, the config and both class counts, for any
    decode head (:func:`mmseg_mman.models.utils.check_class_count`).

    Args:
        check_load_from (bool): Also check ``load_from`` when not resuming. Set it to False to
            fine-tune on another label set from a checkpoint on purpose (resuming is always
            checked). Defaults to True.
    """
    priority = 'VERY_HIGH'

    def __init__(self, check_load_from: bool = True) -> None:
        self.check_load_from = check_load_from

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        resuming = bool(runner.cfg.get('resume', False))
        if not (resuming or self.check_load_from):
            return
        weights = strip_wrapper_prefix(checkpoint.get('state_dict', checkpoint))
        checkpoint_name = runner.cfg.get('load_from') or 'the checkpoint resumed from ' + runner.work_dir
        model = unwrap(runner.model)
        if isinstance(model, BaseTTAModel):  # tools/test.py --tta
            model = model.module
        check_class_count(model, weights, checkpoint_name, runner.cfg.filename or 'the config')
