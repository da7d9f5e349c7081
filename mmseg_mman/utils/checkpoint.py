"""Which local checkpoints may be fully unpickled, and mmengine's loader that enforces it.

Since torch 2.6, ``torch.load`` defaults to ``weights_only=True``. mmengine 0.10.7 passes no
``weights_only``, so a full training checkpoint (it holds ``HistoryBuffer`` objects in its
``message_hub``) can no longer be resumed or tested (mmengine issue #1655). Allow-listing those
classes would need ``builtins.getattr``, which would let any pickle call anything, so this module
keeps weights-only loading as the rule and fully unpickles only checkpoints the user trusts:

* everything is loaded with ``torch.load(..., weights_only=True)`` by default: pretrained
  backbones, published and downloaded checkpoints;
* a file is fully unpickled only if it was trusted explicitly, by :func:`trust_checkpoint` or
  :func:`trusted_checkpoints` (a file, or a directory and everything below it). The tools trust
  the run's own ``work_dir``, the ``--resume`` target and, with ``--trust-checkpoint``,
  ``load_from`` (``tools/train.py``), and the checkpoint given with ``--trust-checkpoint``
  (``tools/test.py``);
* ``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1``, torch's own switch, trusts every file.

:func:`register_safe_checkpoint_loader` installs the policy as mmengine's loader for local
paths (the ``''`` scheme), which ``Runner.load_checkpoint``, ``Runner.resume``,
``mmengine.runner.load_checkpoint`` and ``mmseg.apis.init_model`` all go through. It is called
by the tools, not when ``mmseg_mman`` is imported: a plugin imported through ``custom_imports``
should not silently replace a global mmengine loader in other people's scripts (with torch < 2.6
it would also make their loads stricter).
"""
import contextlib
import os
import os.path as osp
import pickle
import re
from typing import Callable, Iterator, Optional, Set, Union

import torch
from mmengine.logging import print_log
from mmengine.runner.checkpoint import CheckpointLoader

PathLike = Union[str, os.PathLike]
MapLocation = Optional[Union[str, torch.device, Callable, dict]]

_FORCE_FULL_UNPICKLING_ENV = 'TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD'
_TRUE_VALUES = ('1', 'y', 'yes', 'true')
_trusted_paths: Set[str] = set()


class UntrustedCheckpointError(pickle.UnpicklingError):
    """An untrusted checkpoint holds objects that weights-only loading refuses."""


def _resolve(path: PathLike) -> str:
    return osp.realpath(osp.expanduser(os.fspath(path)))


def trust_checkpoint(path: PathLike) -> None:
    """Allow full unpickling of a checkpoint file, or of every file below a directory.

    Only trust files you or your own training runs wrote: unpickling can run arbitrary code.
    Symbolic links are resolved, so a link inside a trusted directory that points outside it
    is not trusted.
    """
    _trusted_paths.add(_resolve(path))


@contextlib.contextmanager
def trusted_checkpoints(*paths: PathLike) -> Iterator[None]:
    """Trust ``paths`` (files or directories) inside the ``with`` block only."""
    previously_trusted = set(_trusted_paths)
    for path in paths:
        trust_checkpoint(path)
    try:
        yield
    finally:
        _trusted_paths.clear()
        _trusted_paths.update(previously_trusted)


def _force_full_unpickling() -> bool:
    return os.getenv(_FORCE_FULL_UNPICKLING_ENV, '0').lower() in _TRUE_VALUES


def is_trusted_checkpoint(path: PathLike) -> bool:
    """Whether ``path`` may be fully unpickled under the current policy."""
    if _force_full_unpickling():
        return True
    resolved = _resolve(path)
    return any(resolved == trusted or osp.commonpath([resolved, trusted]) == trusted
               for trusted in _trusted_paths)


def _refusal_message(filename: str, error: Exception) -> str:
    rejected_global = re.search(r'GLOBAL ([\w.]+)', str(error))
    reason = (f'the first one rejected is {rejected_global.group(1)}'
              if rejected_global else str(error).strip().split('\n', 1)[0])
    return (f'Refusing to fully unpickle the checkpoint {filename!r}: it holds Python objects '
            f'that weights-only loading rejects ({reason}). Unpickling an untrusted file can run '
            'arbitrary code. Two ways out:\n'
            '  1. If you trust the file (e.g. your own training run wrote it): pass '
            '`--trust-checkpoint` to tools/test.py or tools/train.py, resume it with '
            '`tools/train.py --resume PATH`, or call `mmseg_mman.utils.trust_checkpoint(PATH)` (or use `with '
            'mmseg_mman.utils.trusted_checkpoints(PATH):`) before loading it.\n'
            '  2. Otherwise use a weights-only checkpoint (only tensors and plain containers, '
            "e.g. {'state_dict': ..., 'meta': ...}), as published checkpoints are.")


class CorruptCheckpointError(ValueError):
    """A checkpoint file that cannot be read at all (truncated, empty, or not a checkpoint)."""


# What torch.load raises for a file that is not a (complete) checkpoint: zip errors, a pickle stream
# cut short or of another format.
_UNREADABLE = (RuntimeError, EOFError, KeyError, IndexError, ValueError, UnicodeDecodeError)


def _torch_load(filename: str, map_location: MapLocation, weights_only: bool) -> dict:
    try:
        return torch.load(filename, map_location=map_location, weights_only=weights_only)
    except pickle.UnpicklingError as error:
        # The weights-only unpickler refuses objects (untrusted) or opcodes (not a pickle at all).
        if weights_only and 'Unsupported operand' not in str(error):
            raise UntrustedCheckpointError(_refusal_message(filename, error)) from error
        raise _corrupt(filename, error) from error
    except _UNREADABLE as error:
        raise _corrupt(filename, error) from error


def _corrupt(filename: str, error: Exception) -> CorruptCheckpointError:
    reason = str(error).strip().split('\n', 1)[0] or type(error).__name__
    return CorruptCheckpointError(f'{filename} ({osp.getsize(filename)} bytes) cannot be read: truncated or '
                                  f'not a checkpoint ({type(error).__name__}: {reason})')


def load_from_local_with_trust_policy(filename: str, map_location: MapLocation = None) -> dict:
    """mmengine loader for local files: weights-only unless the file is trusted.

    Args:
        filename (str): Path of the checkpoint file.
        map_location: Same as :func:`torch.load`.

    Returns:
        dict: The loaded checkpoint.

    Raises:
        FileNotFoundError: ``filename`` is not a file.
        UntrustedCheckpointError: the file is not trusted and is not weights-only.
        CorruptCheckpointError: the file is truncated, empty or not a checkpoint.
    """
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'{filename} can not be found.')
    if is_trusted_checkpoint(filename):
        print_log(f'Fully unpickling the trusted checkpoint {filename}', logger='current')
        return _torch_load(filename, map_location, weights_only=False)
    return _torch_load(filename, map_location, weights_only=True)


def register_safe_checkpoint_loader() -> None:
    """Make mmengine load local checkpoints through :func:`load_from_local_with_trust_policy`.

    Replaces mmengine's loader for the ``''`` scheme (local paths); remote schemes are left as
    they are. Idempotent.
    """
    CheckpointLoader.register_scheme(prefixes='', loader=load_from_local_with_trust_policy, force=True)
