"""Which local checkpoints may be fully unpickled, and mmengine's loader that enforces it.

Since torch 2.6, ``torch.load`` defaults to ``weights_only=True``. mmengine 0.10.7 passes no
``weights_only``, so a full training checkpoint (it holds ``HistoryBuffer`` objects in its
``message_hub``) can no longer be resumed or tested (mmengine issue #1655). Allow-listing those
classes would need ``builtins.getattr``, which would let any pickle call anything. This module's
loader, :func:`load_from_local_with_trust_policy`, therefore:

* loads every file with ``torch.load(..., weights_only=True)`` first: pretrained backbones,
  published and downloaded checkpoints;
* reads a file that weights-only loading refuses (a full training checkpoint) with
  :func:`~mmseg_mman.utils.weights_reader.read_weights`: tensors and plain containers are
  recovered, every other object is an inert placeholder, and the entries holding such objects
  (``message_hub``) are withheld. Evaluating, inferring and publishing need only the weights, so
  they work on training checkpoints without trusting them, and nothing in the file executes;
* fully unpickles only files trusted explicitly, by :func:`trust_checkpoint` or
  :func:`trusted_checkpoints` (a file, or a directory and everything below it): resuming needs
  the message hub. ``tools/train.py`` trusts the run's own ``work_dir``, the ``--resume`` target
  and, with ``--trust-checkpoint``, ``load_from``; the other tools trust a file given with
  ``--trust-checkpoint``;
* ``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1``, torch's own switch, trusts every file.

:func:`register_safe_checkpoint_loader` installs the loader for local paths (the ``''`` scheme),
which ``Runner.load_checkpoint``, ``Runner.resume``, ``mmengine.runner.load_checkpoint`` and
``mmseg.apis.init_model`` all go through. Importing ``mmseg_mman`` (the configs' ``custom_imports``)
installs it when torch's own default is weights-only (torch >= 2.6): it is then never stricter than
mmengine's loader, only able to read more, so mmseg's own ``tools/test.py`` evaluates the project's
training checkpoints. With an older torch it is left to the tools, because it would make other
people's loads stricter.
"""
import contextlib
import inspect
import os
import os.path as osp
import pickle
import re
import zipfile
from typing import Callable, Iterator, List, Optional, Set, Tuple, Union

import torch
from mmengine.logging import print_log
from mmengine.runner.checkpoint import CheckpointLoader

from .weights_reader import read_weights

PathLike = Union[str, os.PathLike]
MapLocation = Optional[Union[str, torch.device, Callable, dict]]

_FORCE_FULL_UNPICKLING_ENV = 'TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD'
_TRUE_VALUES = ('1', 'y', 'yes', 'true')
_trusted_paths: Set[str] = set()


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


class CorruptCheckpointError(ValueError):
    """A checkpoint file that cannot be read at all (truncated, empty, or not a checkpoint)."""


# What torch.load raises for a file that is not a (complete) checkpoint: zip errors, a pickle stream
# cut short or of another format.
_UNREADABLE = (RuntimeError, EOFError, KeyError, IndexError, ValueError, UnicodeDecodeError)


def _torch_load(filename: str, map_location: MapLocation, weights_only: bool) -> dict:
    try:
        return torch.load(filename, map_location=map_location, weights_only=weights_only)
    except pickle.UnpicklingError as error:
        # The weights-only unpickler refuses objects (a training checkpoint) or opcodes (not a pickle).
        if weights_only and 'Unsupported operand' not in str(error):
            return _read_weights_of_refused_file(filename, map_location)
        raise _corrupt(filename, error) from error
    except _UNREADABLE as error:
        raise _corrupt(filename, error) from error


def _read_weights_of_refused_file(filename: str, map_location: MapLocation) -> dict:
    try:
        checkpoint = read_weights(filename, map_location)
    except (pickle.UnpicklingError, ) + _UNREADABLE as error:
        raise _corrupt(filename, error) from error
    withheld = getattr(checkpoint, 'withheld', {})
    print_log(
        f'Read the weights of the untrusted checkpoint {filename} without unpickling its Python objects; '
        f'not read: {", ".join(f"{key} ({len(names)} types)" for key, names in withheld.items()) or "-"}',
        logger='current')
    return checkpoint


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

    An untrusted file that weights-only loading refuses (a full training checkpoint) is read by
    :func:`~mmseg_mman.utils.weights_reader.read_weights`: its tensors and plain containers are
    returned, the entries holding other Python objects (``message_hub``) are withheld.

    Raises:
        FileNotFoundError: ``filename`` is not a file.
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


def register_safe_checkpoint_loader_if_torch_defaults_to_weights_only() -> None:
    """What importing ``mmseg_mman`` does: :func:`register_safe_checkpoint_loader` when torch's
    ``torch.load`` defaults to ``weights_only=True`` (torch >= 2.6), nothing otherwise."""
    default = inspect.signature(torch.load).parameters['weights_only'].default
    if default is True or (default is None and _torch_version() >= (2, 6)):
        register_safe_checkpoint_loader()


def _torch_version() -> Tuple[int, int]:
    return tuple(int(part) for part in re.findall(r'\d+', torch.__version__)[:2])


def is_complete_checkpoint(path: PathLike) -> bool:
    """Whether ``path`` is a whole checkpoint file (torch's zip format with its central directory
    and a pickle record), without unpickling it. A file cut short by a crash during the write is not."""
    try:
        with zipfile.ZipFile(os.fspath(path)) as archive:
            return any(name.endswith('/data.pkl') or name == 'data.pkl' for name in archive.namelist())
    except (OSError, zipfile.BadZipFile):
        return False


#: The checkpoints ``CheckpointHook`` writes with its default ``filename_tmpl``; best ones excluded.
_STEP_CHECKPOINT = re.compile(r'^(?:epoch|iter)_(\d+)\.pth$')


def newest_complete_checkpoint(work_dir: PathLike) -> Tuple[Optional[str], List[str]]:
    """The checkpoint to resume ``work_dir`` from, and the files skipped as incomplete or missing.

    Candidates are the file named in ``work_dir/last_checkpoint``, then the ``epoch_N.pth`` /
    ``iter_N.pth`` files of ``work_dir``, highest ``N`` first (``best_*.pth`` are not resumed from).
    """
    work_dir = os.fspath(work_dir)
    names = os.listdir(work_dir) if osp.isdir(work_dir) else []
    numbered = sorted(
        ((int(match.group(1)), name) for name in names for match in [_STEP_CHECKPOINT.match(name)] if match),
        reverse=True)
    candidates = [osp.join(work_dir, name) for _, name in numbered]
    last_file = osp.join(work_dir, 'last_checkpoint')
    if osp.isfile(last_file):
        with open(last_file) as f:
            named = f.read().strip()
        candidates = [named] + [path for path in candidates if osp.realpath(path) != osp.realpath(named)]
    skipped = []
    for path in candidates:
        if is_complete_checkpoint(path):
            return path, skipped
        skipped.append(path)
    return None, skipped
