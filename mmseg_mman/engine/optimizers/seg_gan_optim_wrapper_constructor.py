import copy
from typing import Dict, Optional

import torch.nn as nn
from mmengine.optim import DefaultOptimWrapperConstructor, OptimWrapperDict
from mmseg.registry import OPTIM_WRAPPER_CONSTRUCTORS

from ...models.utils import unwrap

WRAPPER_KEYS = ('generator', 'discriminator')
# Keys of a single optim-wrapper config (what an mmseg schedule's optim_wrapper sets): inherited
# next to the generator/discriminator wrappers, they would be silently ignored.
SINGLE_WRAPPER_KEYS = ('type', 'optimizer', 'clip_grad', 'accumulative_counts')


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class SegGANOptimWrapperConstructor:
    """Build an :class:`OptimWrapperDict` with a generator and a discriminator optimizer.

    The generator optimizer covers what the segmentor names as its generator
    (:meth:`AdversarialEncoderDecoder.generator_modules`: backbone, neck, decode head, auxiliary
    head), the discriminator optimizer its :meth:`~AdversarialEncoderDecoder.discriminator_modules`.
    Parameter names are the model's own (``backbone.``, ``decode_head.``, ``discriminators.``
    prefixes), so ``paramwise_cfg.custom_keys`` work as in mmseg. Each sub-config is
    an ordinary mmengine optim-wrapper config (``type``, ``optimizer``, ``paramwise_cfg``, ``clip_grad``)
    built by :class:`DefaultOptimWrapperConstructor`; ``param_scheduler`` may be keyed by
    ``generator``/``discriminator``.

    Example::

        optim_wrapper = dict(
            constructor='SegGANOptimWrapperConstructor',
            generator=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=2e-4)),
            discriminator=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=2e-4)))
    """

    def __init__(self, optim_wrapper_cfg: dict, paramwise_cfg: Optional[dict] = None) -> None:
        if paramwise_cfg is not None:
            raise ValueError('optim_wrapper.paramwise_cfg: put paramwise_cfg inside '
                             'optim_wrapper.generator or optim_wrapper.discriminator')
        self._check_keys(optim_wrapper_cfg)
        self.optim_wrapper_cfg = copy.deepcopy(dict(optim_wrapper_cfg))

    @staticmethod
    def _check_keys(cfg: dict) -> None:
        for key in cfg:
            if key in SINGLE_WRAPPER_KEYS:
                raise ValueError(
                    f'optim_wrapper.{key} is set next to the generator/discriminator wrappers; a config '
                    "inheriting an mmseg schedule must replace its optim_wrapper with _delete_=True")
            if key not in WRAPPER_KEYS:
                raise ValueError(f'optim_wrapper.{key} is not a known optimizer; expected {WRAPPER_KEYS}')
        if 'generator' not in cfg:
            raise ValueError('optim_wrapper.generator is missing')
        for key, sub_cfg in cfg.items():
            if sub_cfg.get('accumulative_counts', 1) != 1:
                raise ValueError(
                    f'optim_wrapper.{key}.accumulative_counts={sub_cfg["accumulative_counts"]}: the '
                    'alternating G/D step cannot accumulate gradients; use 1 and a larger batch')

    def __call__(self, model: nn.Module) -> OptimWrapperDict:
        model = unwrap(model)
        wrappers = {}
        for key, sub_cfg in self.optim_wrapper_cfg.items():
            module = self._modules_for(key, model)
            sub_cfg = copy.deepcopy(sub_cfg)
            paramwise_cfg = sub_cfg.pop('paramwise_cfg', None)
            self._check_custom_keys(key, paramwise_cfg, module)
            wrappers[key] = DefaultOptimWrapperConstructor(sub_cfg, paramwise_cfg)(module)
        return OptimWrapperDict(**wrappers)

    @staticmethod
    def _modules_for(key: str, model: nn.Module) -> nn.ModuleDict:
        """The model parts an optimizer owns, as the segmentor names them."""
        if not hasattr(model, 'generator_modules'):
            raise TypeError(f'SegGANOptimWrapperConstructor needs a segmentor that names its generator and '
                            f'discriminators (AdversarialEncoderDecoder), got {type(model).__name__}')
        if key == 'generator':
            parts = model.generator_modules()
        else:
            prefix = model.DISCRIMINATOR_PREFIX.rstrip('.')
            parts = {prefix: nn.ModuleDict(model.discriminator_modules())}
        if not any(p.requires_grad for part in parts.values() for p in part.parameters()):
            raise ValueError(f'optim_wrapper.{key} matches no trainable module of {type(model).__name__} '
                             f'(it has {sorted(parts)}); remove it or add the module')
        return nn.ModuleDict(parts)

    @staticmethod
    def _check_custom_keys(key: str, paramwise_cfg: Optional[Dict], module: nn.Module) -> None:
        names = [name for name, _ in module.named_parameters()]
        for custom_key in (paramwise_cfg or {}).get('custom_keys', {}):
            if not any(custom_key in name for name in names):
                raise ValueError(f'optim_wrapper.{key}.paramwise_cfg.custom_keys[{custom_key!r}] matches no '
                                 f'parameter of the {key} (e.g. {names[0]!r})')
