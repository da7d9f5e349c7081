"""A CheckpointHook that never loses the run to a crash during a save."""
import glob
import inspect
import logging
import os
import os.path as osp
from typing import Any, List

from mmengine.dist import is_main_process
from mmengine.fileio.backends import LocalBackend
from mmengine.hooks import CheckpointHook
from mmengine.logging import print_log
from mmseg.registry import HOOKS

from ...utils.fileio import write_atomically
from ...utils.suggestions import did_you_mean

_HOOK_ARGUMENTS = frozenset(inspect.signature(CheckpointHook.__init__).parameters) - {'self', 'kwargs'}


@HOOKS.register_module()
class SafeCheckpointHook(CheckpointHook):
    """mmengine's :class:`CheckpointHook`, crash-safe for the step checkpoints (``iter_N.pth`` /
    ``epoch_N.pth``) on local disks.

    mmengine's hook removes the oldest checkpoint before writing the new one, writes it in place
    and then rewrites ``last_checkpoint`` in place: a crash (SIGKILL, out of memory, a node lost)
    during the save leaves a half-written newest file, the previous one deleted and
    ``last_checkpoint`` naming it, and nothing to resume from. This hook

    1. writes the checkpoint to ``<name>.tmp`` beside it, flushes it to disk and renames it into
       place (:func:`os.replace` is atomic), so ``iter_N.pth`` is complete or absent;
    2. then writes ``last_checkpoint`` atomically, so it never names a missing or partial file;
    3. only then removes the checkpoints beyond ``max_keep_ckpts``;
    4. removes ``*.tmp`` leftovers of a crashed save when training (re)starts.

    ``tools/train.py --resume`` without a path takes the newest complete checkpoint
    (:func:`mmseg_mman.utils.newest_complete_checkpoint`). Best checkpoints (``save_best``) and
    remote ``out_dir`` backends are saved as mmengine does.

    Unlike mmengine's hook, an unknown argument (``intervl=1``) is an error when the hook is built,
    not at the first save: every argument the base hook does not name would be passed on to
    ``Runner.save_checkpoint``, which takes none beyond those the hook passes itself.
    """
    TMP_SUFFIX = '.tmp'
    #: Every argument the hook takes (it has ``**kwargs`` only to pass them on to mmengine's hook).
    accepted_arguments = _HOOK_ARGUMENTS

    def __init__(self, **kwargs: Any) -> None:
        for name in kwargs:
            if name not in _HOOK_ARGUMENTS:
                raise TypeError(f'{type(self).__name__} got an unknown argument {name!r}'
                                f'{did_you_mean(name, _HOOK_ARGUMENTS)}')
        super().__init__(**kwargs)

    def before_train(self, runner) -> None:
        super().before_train(runner)
        if self._writes_locally() and is_main_process():
            for leftover in glob.glob(osp.join(glob.escape(self.out_dir), f'*{self.TMP_SUFFIX}')):
                print_log(
                    f'Removing {leftover}, left by a save that did not finish',
                    logger='current',
                    level=logging.WARNING)
                os.remove(leftover)

    def _writes_locally(self) -> bool:
        return isinstance(self.file_backend, LocalBackend)

    def _save_checkpoint_with_step(self, runner, step: int, meta: dict) -> None:
        if not self._writes_locally():
            return super()._save_checkpoint_with_step(runner, step, meta)
        outdated = self._register_step(runner, step)
        ckpt_filename = self.filename_tmpl.format(step)
        self.last_ckpt = osp.join(self.out_dir, ckpt_filename)
        runner.message_hub.update_info('last_ckpt', self.last_ckpt)
        runner.save_checkpoint(
            self.out_dir,
            ckpt_filename + self.TMP_SUFFIX,
            self.file_client_args,
            save_optimizer=self.save_optimizer,
            save_param_scheduler=self.save_param_scheduler,
            meta=meta,
            by_epoch=self.by_epoch,
            backend_args=self.backend_args)
        if not is_main_process():
            return
        self._move_into_place(self.last_ckpt + self.TMP_SUFFIX, self.last_ckpt)
        write_atomically(osp.join(runner.work_dir, 'last_checkpoint'), self.last_ckpt.encode())
        for old_step in outdated:
            old = osp.join(self.out_dir, self.filename_tmpl.format(old_step))
            if osp.isfile(old):
                os.remove(old)

    def _register_step(self, runner, step: int) -> List[int]:
        """Record ``step`` among the kept checkpoints (saved in the message hub, as mmengine does);
        the steps whose files are to be removed once the new one is in place."""
        if self.max_keep_ckpts <= 0 or (self.keep_ckpt_ids and self.keep_ckpt_ids[-1] == step):
            return []
        outdated = [self.keep_ckpt_ids.popleft()] if len(self.keep_ckpt_ids) == self.max_keep_ckpts else []
        self.keep_ckpt_ids.append(step)
        runner.message_hub.update_info('keep_ckpt_ids', list(self.keep_ckpt_ids))
        return outdated

    @staticmethod
    def _move_into_place(written: str, path: str) -> None:
        with open(written, 'rb') as f:
            os.fsync(f.fileno())  # the data is on disk before the name points at it
        os.replace(written, path)
