"""Read the tensors of a checkpoint that weights-only loading refuses, without executing anything.

A full training checkpoint (``tools/train.py``, mmengine's ``CheckpointHook``) holds
``HistoryBuffer`` objects in its ``message_hub``; ``torch.load(weights_only=True)`` refuses the
whole file because of them, although the weights, optimizer states and ``meta`` are tensors and
plain containers. :func:`read_weights` unpickles such a file with an unpickler that resolves only
an allow-list of globals (tensor and storage rebuilding, ``OrderedDict``, ``Counter``, ``set``, torch
dtypes and devices, numpy arrays and scalars, ``codecs.encode``), much as torch's own weights-only
unpickler.
Every other global becomes an inert :class:`UnreadObject`: a placeholder that records the
arguments and state the pickle hands it and never calls, imports or looks up anything, so a
malicious file runs no code.

Top-level entries that contain placeholders (``message_hub``) are withheld: asking for one raises
:class:`UnreadCheckpointEntryError`, which says how to load the file completely (resuming needs the
message hub, and ``tools/train.py --resume`` trusts the file).
"""
import builtins
import codecs
import collections
import io
import os
import pickle
import types
from typing import Any, Dict, List, Tuple

import torch

_TORCH_REBUILDERS = ('_rebuild_tensor', '_rebuild_tensor_v2', '_rebuild_tensor_v3', '_rebuild_parameter',
                     '_rebuild_parameter_with_state', '_rebuild_device_tensor_from_numpy')
_NUMPY_MODULES = ('numpy.core.multiarray', 'numpy._core.multiarray')
_NUMPY_NAMES = ('_reconstruct', 'scalar')
_BUILTINS = ('set', 'frozenset', 'slice', 'complex', 'bytearray', 'range')


def _allowed_global(module: str, name: str) -> Any:
    """The real object for an allow-listed global, else None."""
    if module == 'torch._utils' and name in _TORCH_REBUILDERS:
        return getattr(torch._utils, name, None)
    if module == 'torch' and (name in ('Size', 'device')
                              or isinstance(getattr(torch, name, None), torch.dtype)):
        return getattr(torch, name)
    if module == 'collections' and name in ('OrderedDict', 'Counter'):  # Counter: lr schedulers' milestones
        return getattr(collections, name)
    if module in ('builtins', '__builtin__') and name in _BUILTINS:
        return getattr(builtins, name)
    if module == '_codecs' and name == 'encode':  # how protocol-2 pickles store bytes (numpy buffers)
        return codecs.encode
    return _numpy_global(module, name)


def _numpy_global(module: str, name: str) -> Any:
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy comes with torch's usual installs
        return None
    if module in _NUMPY_MODULES and name in _NUMPY_NAMES:
        return getattr(np.core.multiarray, name)
    if module == 'numpy' and name in ('ndarray', 'dtype'):
        return getattr(np, name)
    if module == 'numpy' and isinstance(getattr(np, name, None), type) and issubclass(
            getattr(np, name), np.generic):
        return getattr(np, name)  # scalar types (np.float64, ...), needed by np.dtype reconstruction
    if module == 'numpy.dtypes' and name.endswith('DType'):
        return getattr(np.dtypes, name, None)
    return None


class UnreadObject:
    """Stands for an object of a class or function outside the allow-list.

    It only records what the pickle passed (``args``, ``kwargs``, ``state``, items); nothing of
    the global it stands for is imported or called. ``global_name`` is ``module.name``.
    """
    global_name = '?'

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args, self.kwargs, self.state, self.items = args, kwargs, None, []

    def __setstate__(self, state: Any) -> None:
        self.state = state

    def append(self, item: Any) -> None:
        self.items.append(item)

    def extend(self, items: Any) -> None:
        self.items.extend(items)

    def __setitem__(self, key: Any, value: Any) -> None:
        self.items.append((key, value))

    def __repr__(self) -> str:
        return f'<unread {self.global_name}>'


class UnreadCheckpointEntryError(KeyError):
    """A checkpoint entry that :func:`read_weights` withheld because it holds unread objects."""

    def __str__(self) -> str:  # KeyError would show the message quoted
        return str(self.args[0])


class PartlyReadCheckpoint(dict):
    """The readable top-level entries of a checkpoint; asking for a withheld one raises
    :class:`UnreadCheckpointEntryError` naming the file, the entry and what it holds."""

    def __init__(self, entries: dict, withheld: Dict[str, List[str]], filename: str) -> None:
        super().__init__(entries)
        self.withheld, self.filename = withheld, filename

    def __missing__(self, key: str) -> Any:
        if key not in self.withheld:
            raise KeyError(key)
        raise UnreadCheckpointEntryError(
            f"{self.filename}: '{key}' was not read: it holds Python objects "
            f"({', '.join(self.withheld[key])}) that are not unpickled unless the file is trusted. The "
            'weights were read. To resume training from this file, run `tools/train.py CONFIG --resume '
            f'{self.filename}` (the resume target is trusted) or trust it with '
            '`mmseg_mman.utils.trust_checkpoint(PATH)`.')


class _AllowListUnpickler(pickle.Unpickler):
    placeholders: Dict[Tuple[str, str], type] = {}

    def find_class(self, module: str, name: str) -> Any:
        found = _allowed_global(module, name)
        if found is not None:
            return found
        key = (module, name)
        if key not in self.placeholders:
            self.placeholders[key] = type(name, (UnreadObject, ), dict(global_name=f'{module}.{name}'))
        return self.placeholders[key]


def _load(file: io.IOBase, **kwargs: Any) -> Any:
    return _AllowListUnpickler(file, **kwargs).load()


#: What ``torch.load(pickle_module=...)`` needs of a pickle module.
_ALLOW_LIST_PICKLE = types.SimpleNamespace(
    Unpickler=_AllowListUnpickler, load=_load, __name__='mmseg_mman_allow_list_pickle')


def unread_objects(value: Any) -> List[str]:
    """Sorted ``global_name``s of the :class:`UnreadObject`s inside ``value`` (containers searched)."""
    found = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, UnreadObject):
            found.add(item.global_name)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            stack.extend(item)
    return sorted(found)


def read_weights(filename: str, map_location: Any = None) -> Any:
    """Unpickle ``filename`` resolving only allow-listed globals (see the module docstring).

    Returns:
        The unpickled object. A dict whose top-level entries hold unread objects is returned as a
        :class:`PartlyReadCheckpoint` without those entries.
    """
    loaded = torch.load(
        os.fspath(filename), map_location=map_location, pickle_module=_ALLOW_LIST_PICKLE, weights_only=False)
    if not isinstance(loaded, dict):
        return loaded
    withheld = {key: unread_objects(value) for key, value in loaded.items()}
    withheld = {key: names for key, names in withheld.items() if names}
    kept = {key: value for key, value in loaded.items() if key not in withheld}
    return PartlyReadCheckpoint(kept, withheld, os.fspath(filename))
