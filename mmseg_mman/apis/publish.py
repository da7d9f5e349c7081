"""Turn a training checkpoint into a small, weights-only, hash-named file for inference.

A checkpoint written by the training loop holds the discriminators, both optimizers, the
schedulers and the message hub (``HistoryBuffer`` objects, which ``torch.load(weights_only=True)``
refuses). The published file keeps what inference needs::

    {'state_dict': generator weights (no ``discriminators.*`` key),
     'meta': {'dataset_meta': {'classes': ..., 'palette': ...}, 'cfg': config text (if saved)}}

and is named ``<out_prefix>-<first 8 hex digits of its own sha256>.pth`` (the mmseg / OpenMMLab
convention; mmengine's ``load_checkpoint`` of an URL can check the prefix).
"""
import hashlib
import io
import os.path as osp
from collections import OrderedDict
from typing import Any, Tuple

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from ..models.segmentors import AdversarialEncoderDecoder
from ..models.utils import CheckpointMismatchError, check_weights_fit
from ..utils.checkpoint import load_from_local_with_trust_policy, trusted_checkpoints
from ..utils.fileio import write_atomically
from .inference import build_segmentor

PUBLISHED_META_KEYS = ('dataset_meta', 'cfg')
HASH_PREFIX_LENGTH = 8


def load_training_checkpoint(path: str, trust: bool) -> dict:
    """Load ``path`` fully unpickled if ``trust``; otherwise its weights and plain entries only (see
    :func:`~mmseg_mman.utils.checkpoint.load_from_local_with_trust_policy`), which is all a
    published checkpoint keeps."""
    if trust:
        with trusted_checkpoints(path):
            return load_from_local_with_trust_policy(path, map_location='cpu')
    return load_from_local_with_trust_policy(path, map_location='cpu')


def check_fits_own_config(weights: dict, meta: dict, name: str) -> None:
    """The generator weights and ``meta.dataset_meta.classes`` of a checkpoint must fit the model of
    the config text training saved in ``meta.cfg`` (when there is one): a
    :class:`~mmseg_mman.models.utils.CheckpointMismatchError` naming the
    file and both counts otherwise."""
    if not meta.get('cfg'):
        return
    cfg = Config.fromstring(meta['cfg'], file_format='.py')
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    model = build_segmentor(cfg, with_discriminators=False)
    own_config = f'the config saved in {name} (meta.cfg)'
    check_weights_fit(model, weights, name, own_config)
    classes = len(meta['dataset_meta']['classes'])
    if classes != model.num_classes:
        raise CheckpointMismatchError(f'{name}: meta.dataset_meta names {classes} classes but {own_config} '
                                      f'builds a model with num_classes={model.num_classes}')


def _plain(value: Any, key: str) -> Any:
    """``value`` made of the types weights-only loading accepts (tuples become lists)."""
    if isinstance(value, dict):
        return {k: _plain(v, f'{key}.{k}') for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, f'{key}[{i}]') for i, v in enumerate(value)]
    if hasattr(value, 'tolist'):  # numpy scalars and arrays
        return value.tolist()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f'meta.{key} holds a {type(value).__name__}, which a weights-only checkpoint '
                    'cannot store')


def published_checkpoint(checkpoint: dict, name: str) -> dict:
    """The part of ``checkpoint`` (named ``name`` in errors) that inference needs."""
    if not isinstance(checkpoint, dict) or 'state_dict' not in checkpoint:
        raise KeyError(f'{name} has no state_dict: not a checkpoint written by mmengine')
    weights = AdversarialEncoderDecoder.generator_state_dict(OrderedDict(checkpoint['state_dict']))
    meta = checkpoint.get('meta') or {}
    if not (meta.get('dataset_meta') or {}).get('classes'):
        raise KeyError(f'{name} has no meta.dataset_meta.classes: inference would not know the class '
                       'names (checkpoints written by tools/train.py have them)')
    check_fits_own_config(weights, meta, name)
    kept = {key: _plain(meta[key], key) for key in PUBLISHED_META_KEYS if key in meta}
    return dict(state_dict=weights, meta=kept)


def publish_checkpoint(in_file: str, out_prefix: str, trust: bool = False) -> Tuple[str, dict]:
    """Write the published form of ``in_file`` as ``<out_prefix>-<sha8>.pth``.

    Args:
        in_file: A training checkpoint (or an already published one).
        out_prefix: Output path without the hash; a trailing ``.pth`` is dropped.
        trust: Fully unpickle ``in_file`` (not needed: its weights are read without it; only for
            trusted files).

    Returns:
        The output path and a summary: ``kept_weights``, ``dropped_weights`` (discriminator
        entries), ``dropped_keys`` (top-level keys left out), ``size_in`` and ``size_out`` (bytes).
    """
    checkpoint = load_training_checkpoint(in_file, trust)
    published = published_checkpoint(checkpoint, in_file)
    if out_prefix.endswith('.pth'):
        out_prefix = out_prefix[:-len('.pth')]
    buffer = io.BytesIO()
    torch.save(published, buffer)
    data = buffer.getvalue()
    torch.load(io.BytesIO(data), map_location='cpu', weights_only=True)  # what every user will do
    out_file = f'{out_prefix}-{hashlib.sha256(data).hexdigest()[:HASH_PREFIX_LENGTH]}.pth'
    write_atomically(out_file, data)
    top_level_keys = set(checkpoint) | set(getattr(checkpoint, 'withheld', {}))  # withheld ones too
    summary = dict(
        kept_weights=len(published['state_dict']),
        dropped_weights=len(checkpoint['state_dict']) - len(published['state_dict']),
        dropped_keys=sorted(top_level_keys - {'state_dict', 'meta'}),
        size_in=osp.getsize(in_file),
        size_out=osp.getsize(out_file))
    return out_file, summary
