"""Whether a checkpoint's weights fit a model, checked before they are loaded, with messages that
name the files (used by ``init_parser`` and :class:`~mmseg_mman.engine.hooks.CheckpointFitHook`)."""
from typing import Dict, Optional

import torch
import torch.nn as nn


class CheckpointMismatchError(ValueError):
    """A checkpoint whose weights do not fit the model of the config (class count, shapes, keys)."""


def strip_wrapper_prefix(state_dict: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """``state_dict`` without the ``module.`` prefix a DDP-wrapped model's keys carry."""
    return {
        key[len('module.'):] if key.startswith('module.') else key: value
        for key, value in state_dict.items()
    }


def check_weights_fit(model: nn.Module, weights: Dict[str, torch.Tensor], checkpoint_name: str,
                      config_name: str) -> None:
    """Raise a :class:`CheckpointMismatchError` naming the mismatch when ``weights`` do not fit
    ``model`` exactly."""
    check_class_count(model, weights, checkpoint_name, config_name)
    expected = model.state_dict()
    problems = [
        f'{key}: checkpoint {tuple(weights[key].shape)}, model {tuple(expected[key].shape)}'
        for key in sorted(weights.keys() & expected.keys()) if weights[key].shape != expected[key].shape
    ]
    problems += [f'{key}: missing from the checkpoint' for key in sorted(expected.keys() - weights.keys())]
    problems += [f'{key}: not in the model' for key in sorted(weights.keys() - expected.keys())]
    if problems:
        shown = '\n  '.join(problems[:8])
        more = f'\n  ... and {len(problems) - 8} more' if len(problems) > 8 else ''
        raise CheckpointMismatchError(f'{checkpoint_name} does not fit the model of {config_name} '
                                      f'({len(problems)} problems):\n  {shown}{more}')


def check_class_count(model: nn.Module, weights: Dict[str, torch.Tensor], checkpoint_name: str,
                      config_name: str) -> None:
    """Raise a :class:`CheckpointMismatchError` naming both files and both counts when the
    classifier of ``weights`` predicts another number of classes than ``model`` (any decode head, see
    :func:`classifier_mismatch`)."""
    classifier = classifier_mismatch(model, weights)
    if classifier is not None:
        key, found = classifier
        raise CheckpointMismatchError(
            f'{checkpoint_name} predicts {found} classes ({key} has {found} output channels) but '
            f'{config_name} builds a model with num_classes={model.num_classes}: use the '
            'config the checkpoint was trained with')


def classifier_mismatch(model: nn.Module, weights: Dict[str, torch.Tensor]) -> Optional[tuple]:
    """``(key, classes)`` of a decode-head conv that maps to the model's classes while the
    checkpoint's maps to another count, whatever the head calls its classifier (``conv_seg``,
    DeepLab-v2's ``aspp.*``); None when there is none."""
    num_classes = model.num_classes
    for key, tensor in model.state_dict().items():
        if key.startswith('decode_head.') and tensor.dim() == 4 and tensor.shape[0] == num_classes \
                and key in weights and weights[key].shape[0] != num_classes:
            return key, weights[key].shape[0]
    return None
