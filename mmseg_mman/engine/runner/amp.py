"""Switch a config's optimizer wrapper(s) to mixed precision, as ``tools/train.py --amp`` does.

mmseg's own ``--amp`` reads ``cfg.optim_wrapper.type`` and so fails on a GAN config, whose
``optim_wrapper`` holds one wrapper per optimizer::

    optim_wrapper = dict(
        constructor='SegGANOptimWrapperConstructor',
        generator=dict(type='OptimWrapper', optimizer=...),
        discriminator=dict(type='OptimWrapper', optimizer=...))

:func:`enable_amp` switches a single wrapper as mmseg does and every wrapper of such a dict.
"""
import logging
from typing import Dict

from mmengine.config import Config
from mmengine.logging import print_log

_PLAIN_WRAPPER = 'OptimWrapper'
_AMP_WRAPPER = 'AmpOptimWrapper'


def _is_wrapper_cfg(cfg: object) -> bool:
    """A wrapper config has a ``type`` or an ``optimizer`` (``type`` defaults to OptimWrapper)."""
    return isinstance(cfg, dict) and ('type' in cfg or 'optimizer' in cfg)


def _check_type(wrapper_cfg: dict, name: str) -> None:
    wrapper_type = wrapper_cfg.get('type', _PLAIN_WRAPPER)
    if wrapper_type not in (_PLAIN_WRAPPER, _AMP_WRAPPER):
        raise ValueError(f'`--amp` is only supported when the optimizer wrapper type is '
                         f'`{_PLAIN_WRAPPER}`, but `{name}.type` is `{wrapper_type}`.')


def _switch_to_amp(wrapper_cfg: dict, name: str) -> None:
    if wrapper_cfg.get('type') == _AMP_WRAPPER:
        print_log(
            f'AMP training is already enabled for `{name}` in your config.',
            logger='current',
            level=logging.WARNING)
        return
    wrapper_cfg['type'] = _AMP_WRAPPER
    wrapper_cfg['loss_scale'] = 'dynamic'


def _named_wrapper_cfgs(optim_wrapper: dict) -> Dict[str, dict]:
    """``{'optim_wrapper': cfg}`` for one wrapper, ``{'optim_wrapper.<name>': cfg}`` for a dict."""
    if _is_wrapper_cfg(optim_wrapper):
        return {'optim_wrapper': optim_wrapper}
    wrappers = {
        f'optim_wrapper.{name}': value
        for name, value in optim_wrapper.items() if _is_wrapper_cfg(value)
    }
    if not wrappers:
        raise ValueError('`--amp`: `optim_wrapper` is neither an optimizer wrapper (no `type` or '
                         '`optimizer`) nor a dict of them; its keys are '
                         f'{sorted(optim_wrapper.keys())}.')
    return wrappers


def enable_amp(cfg: Config) -> Config:
    """Make every optimizer wrapper of ``cfg.optim_wrapper`` an ``AmpOptimWrapper``.

    Each ``OptimWrapper`` becomes an ``AmpOptimWrapper`` with ``loss_scale='dynamic'``; an
    ``AmpOptimWrapper`` is left as it is (with a warning). ``cfg`` is changed in place.

    Args:
        cfg (Config): A training config with ``optim_wrapper``: one wrapper config, or a dict
            with one wrapper config per optimizer (and optionally a ``constructor``).

    Returns:
        Config: ``cfg``.

    Raises:
        KeyError: ``cfg`` has no ``optim_wrapper``.
        ValueError: a wrapper is of another type, or ``optim_wrapper`` holds no wrapper.
    """
    if 'optim_wrapper' not in cfg:
        raise KeyError('`--amp` needs `optim_wrapper` in the config, found none.')
    wrappers = _named_wrapper_cfgs(cfg.optim_wrapper)
    # Check them all first, so that a rejected config is left unchanged.
    for name, wrapper_cfg in wrappers.items():
        _check_type(wrapper_cfg, name)
    for name, wrapper_cfg in wrappers.items():
        _switch_to_amp(wrapper_cfg, name)
    return cfg
