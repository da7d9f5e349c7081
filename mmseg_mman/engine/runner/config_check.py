"""Config mistakes found when a tool starts, not hours into a run.

* :func:`checked_cfg_options`: a ``--cfg-options`` key whose parent exists in the config but which
  the config does not contain (``randomnes.seed=5``, ``model.decode_head.num_clases=8``) is a typo
  mmengine would merge silently and never read. It is an error with a "did you mean", unless the
  parent names a registered ``type`` whose class takes that argument (left at its default in the
  config); a key written ``+key=value`` is added on purpose (Hydra's convention).
* :func:`check_component_arguments`: an argument the hook or loop class does not take
  (``default_hooks.logger.intervall=1``) is an error naming the config key, before the runner is
  built. Classes taking ``**kwargs`` check themselves (``SafeCheckpointHook``) or are left alone.
"""
import inspect
from typing import Any, Dict, Iterator, Optional, Set, Tuple

from mmengine.config import Config
from mmengine.registry import Registry
from mmseg.registry import (DATASETS, HOOKS, LOOPS, METRICS, MODELS, OPTIM_WRAPPERS, PARAM_SCHEDULERS,
                            TRANSFORMS)

from ...utils.suggestions import did_you_mean

ADD_PREFIX = '+'


class ConfigKeyError(KeyError):
    """A config key that does not exist, or an argument a component does not take."""

    def __str__(self) -> str:  # KeyError would show the message quoted
        return str(self.args[0])


def checked_cfg_options(cfg: Config, options: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """``options`` (parsed ``--cfg-options``) with the ``+`` of added keys removed, ready for
    ``cfg.merge_from_dict``, after checking that every other key exists in ``cfg``.

    Raises:
        ConfigKeyError: a key's parent exists but the key does not (the message suggests the
            closest existing key and the ``+`` form).
    """
    checked = {}
    for key, value in (options or {}).items():
        if key.startswith(ADD_PREFIX):
            checked[key[len(ADD_PREFIX):]] = value
            continue
        _require_path(cfg, key)
        checked[key] = value
    return checked


def _require_path(cfg: Config, key: str) -> None:
    node: Any = cfg
    parts = key.split('.')
    for depth, part in enumerate(parts):
        parent = '.'.join(parts[:depth]) or 'the config'
        if isinstance(node, (list, tuple)) and part.isdigit():
            if int(part) >= len(node):
                raise ConfigKeyError(f'--cfg-options {key}: {parent} has {len(node)} items, no item {part}')
            node = node[int(part)]
        elif isinstance(node, (dict, Config)):
            if part not in node:
                _require_argument(node, part, key, parent, last=depth == len(parts) - 1)
                return
            node = node[part]
        else:
            return  # below a value that is replaced whole (None, a number): mmengine makes the dict


def _require_argument(node: dict, part: str, key: str, parent: str, last: bool) -> None:
    """A key missing from the config is fine if it is an argument the component's class takes."""
    accepted = _accepted_arguments(_component_class(node))
    if last and (accepted is None or part in accepted):
        return  # an argument left at its default in the config
    known = set(node.keys()) | (accepted or set())
    raise ConfigKeyError(f"--cfg-options {key}: {parent} has no key '{part}'{did_you_mean(part, known)}. "
                         f'To add a new key on purpose, write {ADD_PREFIX}{key}=...')


def _component_class(component_cfg: Any) -> Optional[type]:
    """The registered class ``component_cfg['type']`` names, if any."""
    component = component_cfg.get('type') if isinstance(component_cfg, dict) else None
    if inspect.isclass(component):
        return component
    for registry in (MODELS, HOOKS, LOOPS, DATASETS, TRANSFORMS, METRICS, OPTIM_WRAPPERS, PARAM_SCHEDULERS):
        cls = registry.get(component) if isinstance(component, str) else None
        if inspect.isclass(cls):
            return cls
    return None


def _accepted_arguments(cls: Optional[type]) -> Optional[Set[str]]:
    """Names ``cls(...)`` takes (empty for no class), following ``**kwargs`` passed on to base
    classes; a class's own ``accepted_arguments`` wins. None when the deepest ``__init__`` still
    takes any keyword."""
    if cls is None:
        return set()
    if getattr(cls, 'accepted_arguments', None) is not None:
        return set(cls.accepted_arguments)
    accepted: Set[str] = set()
    for klass in cls.__mro__:
        if '__init__' not in vars(klass) or klass is object:
            continue
        parameters = inspect.signature(klass.__init__).parameters
        accepted |= {
            name
            for name, p in parameters.items() if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
        }
        if not any(p.kind == p.VAR_KEYWORD for p in parameters.values()):
            return accepted - {'self'}
    return None


def _components(cfg: Config) -> Iterator[Tuple[str, dict, Registry]]:
    for name, hook in (cfg.get('default_hooks') or {}).items():
        yield f'default_hooks.{name}', hook, HOOKS
    for index, hook in enumerate(cfg.get('custom_hooks') or []):
        yield f'custom_hooks.{index}', hook, HOOKS
    for name in ('train_cfg', 'val_cfg', 'test_cfg'):
        yield name, cfg.get(name), LOOPS


def check_component_arguments(cfg: Config) -> None:
    """Check the arguments of every hook and loop of ``cfg`` that names its ``type``.

    Raises:
        ConfigKeyError: naming the config key, the class and the closest argument it takes.
    """
    for where, component_cfg, registry in _components(cfg):
        if not isinstance(component_cfg, dict) or 'type' not in component_cfg:
            continue
        component = component_cfg['type']
        cls = registry.get(component) if isinstance(component, str) else component
        accepted = _accepted_arguments(cls) if inspect.isclass(cls) else None
        if accepted is None:
            continue  # takes any keyword, or an unknown type (the registry says so when building it)
        accepted -= {'runner', 'dataloader'}  # given by the runner
        for argument in component_cfg:
            if argument != 'type' and argument not in accepted:
                raise ConfigKeyError(f'{where}.{argument}: {cls.__name__} takes no argument '
                                     f"'{argument}'{did_you_mean(argument, accepted)}")
