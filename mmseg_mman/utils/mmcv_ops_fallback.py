"""A pure-torch stand-in for ``mmcv.ops`` when mmcv's compiled extension is missing.

mmcv-lite ships the Python files of ``mmcv.ops`` but not the compiled ``mmcv._ext``, so
``import mmcv.ops`` fails. mmseg 1.2.2 imports ``mmcv.ops`` unconditionally in four modules
(``mmseg/utils/mask_classification.py``, ``models/utils/point_sample.py``,
``models/decode_heads/san_head.py``, ``models/losses/focal_loss.py``), which makes
``import mmseg.models`` fail with mmcv-lite although MMAN needs no compiled op.

:func:`install_mmcv_ops_fallback` registers, only when ``mmcv._ext`` cannot be found, a module
named ``mmcv.ops`` that provides the two ops those modules import (``point_sample`` and
``sigmoid_focal_loss``, in pure torch, with mmcv's semantics) and raises the same
``ModuleNotFoundError`` as a failed ``import mmcv.ops`` for every other op, so mmseg's own
``try: from mmcv.ops import X / except ModuleNotFoundError`` guards (cc_head, psa_head,
point_head) keep falling back exactly as without the stand-in.

Two routes put it in place, both through :func:`fallback_spec`: ``import mmseg_mman`` calls
:func:`install_mmcv_ops_fallback`, and the start-up hook that ``pip install`` puts into
site-packages (:mod:`mmseg_mman.utils.mmcv_ops_hook`) answers ``import mmcv.ops`` with it, so that
scripts importing ``mmseg.models`` before the plugin (mmseg's own tools) work as well.
"""
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import warnings
from types import ModuleType
from typing import Optional

import torch
import torch.nn.functional as F
from torch import Tensor

_OPS_MODULE_NAME = 'mmcv.ops'
_EXTENSION_MODULE_NAME = 'mmcv._ext'
_PROVIDED_OPS = ('point_sample', 'sigmoid_focal_loss')
_REDUCTIONS = ('none', 'mean', 'sum')


def point_sample(input: Tensor, points: Tensor, align_corners: bool = False, **kwargs) -> Tensor:
    """Sample ``input`` at normalised point coordinates, as ``mmcv.ops.point_sample``.

    Args:
        input (Tensor): Feature map, shape (N, C, H, W).
        points (Tensor): Point coordinates in ``[0, 1] x [0, 1]`` (x first), shape (N, P, 2)
            or (N, Hgrid, Wgrid, 2).
        align_corners (bool): Passed to :func:`torch.nn.functional.grid_sample`.
            Defaults to False.
        **kwargs: Further arguments of :func:`torch.nn.functional.grid_sample`
            (``mode``, ``padding_mode``).

    Returns:
        Tensor: Sampled features, shape (N, C, P) or (N, C, Hgrid, Wgrid).
    """
    is_point_list = points.dim() == 3
    if is_point_list:
        points = points.unsqueeze(2)
    # grid_sample expects coordinates in [-1, 1].
    output = F.grid_sample(input, 2.0 * points - 1.0, align_corners=align_corners, **kwargs)
    return output.squeeze(3) if is_point_list else output


def sigmoid_focal_loss(input: Tensor,
                       target: Tensor,
                       gamma: float = 2.0,
                       alpha: float = 0.25,
                       weight: Optional[Tensor] = None,
                       reduction: str = 'mean') -> Tensor:
    """Sigmoid focal loss with the semantics of ``mmcv.ops.sigmoid_focal_loss``.

    Per element ``(n, c)`` with ``p = sigmoid(input[n, c])``: ``-alpha * (1 - p)**gamma * log(p)``
    where ``target[n] == c`` and ``-(1 - alpha) * p**gamma * log(1 - p)`` elsewhere, so a target
    equal to the number of classes marks a background sample. ``weight`` (one value per class)
    scales every element of sample ``n`` by ``weight[target[n]]``. Gradients come from autograd.

    Args:
        input (Tensor): Logits, shape (N, C).
        target (Tensor): Class indices in ``[0, C]``, int64, shape (N, ).
        gamma (float): Focusing parameter. Defaults to 2.0.
        alpha (float): Weight of the positive term. Defaults to 0.25.
        weight (Tensor, optional): Per-class weight, shape (C, ). Defaults to None.
        reduction (str): ``'none'`` (shape (N, C)), ``'mean'`` (sum divided by N) or ``'sum'``.
            Defaults to ``'mean'``.

    Returns:
        Tensor: The loss, shape (N, C) for ``'none'``, else a scalar.
    """
    _check_focal_loss_inputs(input, target, weight, reduction)
    num_classes = input.size(1)
    is_positive = target.unsqueeze(1) == torch.arange(num_classes, device=target.device)
    prob = input.sigmoid()
    positive_term = -alpha * (1 - prob).pow(gamma) * F.logsigmoid(input)
    negative_term = -(1 - alpha) * prob.pow(gamma) * F.logsigmoid(-input)
    loss = torch.where(is_positive, positive_term, negative_term)
    if weight is not None:
        loss = loss * weight[target].unsqueeze(1)
    if reduction == 'mean':
        return loss.sum() / input.size(0)
    if reduction == 'sum':
        return loss.sum()
    return loss


def _check_focal_loss_inputs(input: Tensor, target: Tensor, weight: Optional[Tensor], reduction: str) -> None:
    """Raise ``ValueError`` for inputs that mmcv's kernel would reject or misread."""
    if input.dim() != 2 or target.dim() != 1 or input.size(0) != target.size(0):
        raise ValueError('sigmoid_focal_loss expects input of shape (N, C) and target of shape (N, ), '
                         f'got {tuple(input.shape)} and {tuple(target.shape)}')
    if target.dtype != torch.long:
        raise ValueError(f'sigmoid_focal_loss expects an int64 target, got {target.dtype}')
    if reduction not in _REDUCTIONS:
        raise ValueError(f'sigmoid_focal_loss: reduction must be one of '
                         f'{_REDUCTIONS}, got {reduction!r}')
    if weight is None:
        return
    num_classes = input.size(1)
    if weight.dim() != 1 or weight.size(0) != num_classes:
        raise ValueError(f'sigmoid_focal_loss expects a per-class weight of shape ({num_classes}, ), '
                         f'got {tuple(weight.shape)}')
    if bool((target >= num_classes).any()):
        raise ValueError('sigmoid_focal_loss: a per-class weight cannot be indexed by the background '
                         f'target {num_classes}')


def _missing_op(name: str):
    """Module ``__getattr__``: every op that needs the compiled extension is missing."""
    if name.startswith('__') and name.endswith('__'):
        # Probes such as ``__path__`` or ``__wrapped__`` must see an ordinary module.
        raise AttributeError(f'module {_OPS_MODULE_NAME!r} has no attribute {name!r}')
    raise ModuleNotFoundError(
        f"No module named '{_EXTENSION_MODULE_NAME}': mmcv.ops.{name} needs mmcv's "
        'compiled extension, which mmcv-lite does not ship. Only '
        f'{", ".join(_PROVIDED_OPS)} are available from the pure-torch fallback of '
        'mmseg_mman; install the full mmcv for the other ops '
        '(pip install --no-build-isolation "mmcv==2.1.0").',
        name=_EXTENSION_MODULE_NAME)


def _has_compiled_extension() -> bool:
    try:
        return importlib.util.find_spec(_EXTENSION_MODULE_NAME) is not None
    except ModuleNotFoundError:  # mmcv itself is not installed
        return False


def _mmcv_is_installed() -> bool:
    return importlib.util.find_spec('mmcv') is not None


class _FallbackOpsLoader(importlib.abc.Loader):
    """Creates the fallback ``mmcv.ops`` module: the provided ops, and :func:`_missing_op` for the rest."""

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        module = ModuleType(spec.name)
        module.__doc__ = ('Pure-torch fallback for mmcv.ops installed by mmseg_mman '
                          f'(mmcv-lite, no {_EXTENSION_MODULE_NAME}).')
        module.__all__ = list(_PROVIDED_OPS)
        module.point_sample = point_sample
        module.sigmoid_focal_loss = sigmoid_focal_loss
        module.__getattr__ = _missing_op
        module.is_mmseg_mman_fallback = True
        return module

    def exec_module(self, module: ModuleType) -> None:
        """Nothing to run: :meth:`create_module` built the whole module."""


def fallback_spec() -> Optional[importlib.machinery.ModuleSpec]:
    """The module spec of the fallback ``mmcv.ops``, or None with the full mmcv (or no mmcv).

    A meta-path finder may return it for ``mmcv.ops``; the import system then creates the module.
    """
    if not _mmcv_is_installed() or _has_compiled_extension():
        return None
    # mmcv.cnn warns on import that mmcv-lite lacks MultiScaleDeformableAttention; with the
    # fallback that is expected, and the missing op still fails loudly when used.
    warnings.filterwarnings(
        'ignore', message='Fail to import ``MultiScaleDeformableAttention``', category=UserWarning)
    return importlib.machinery.ModuleSpec(_OPS_MODULE_NAME, _FallbackOpsLoader(), origin=__file__)


def is_mmcv_ops_fallback_installed() -> bool:
    """Whether ``sys.modules['mmcv.ops']`` is this module's fallback."""
    module = sys.modules.get(_OPS_MODULE_NAME)
    return getattr(module, '__dict__', {}).get('is_mmseg_mman_fallback', False)


def install_mmcv_ops_fallback() -> bool:
    """Register the pure-torch ``mmcv.ops`` if mmcv's compiled extension is missing.

    Must run before anything imports ``mmseg.models``. A no-op with the full mmcv (or when
    ``mmcv.ops`` is already imported, or mmcv is not installed at all). Idempotent.

    Returns:
        bool: True if the fallback is (now or already) registered as ``mmcv.ops``.
    """
    if is_mmcv_ops_fallback_installed():
        return True
    if _OPS_MODULE_NAME in sys.modules:
        return False
    spec = fallback_spec()
    if spec is None:
        return False
    import mmcv

    module = importlib.util.module_from_spec(spec)
    sys.modules[_OPS_MODULE_NAME] = module
    # ``import mmcv.ops`` binds the package and reads its ``ops`` attribute.
    mmcv.ops = module
    return True
