"""Start-up hook: the mmcv.ops fallback for every interpreter, whatever it imports first.

``import mmseg_mman`` puts the pure-torch ``mmcv.ops`` of :mod:`mmseg_mman.utils.mmcv_ops_fallback`
in place, but scripts that import ``mmseg.models`` before a config's ``custom_imports`` run (mmseg's
own ``get_flops.py``, ``browse_dataset.py``, ...) would still fail on mmcv-lite with
``No module named 'mmcv._ext'``. ``setup.py`` therefore embeds this file in a ``.pth`` file that
``pip install`` (plain or editable) puts into site-packages; ``site`` runs it when an interpreter
starts.

At start-up it only adds :class:`MmcvOpsFallbackFinder` to ``sys.meta_path``: nothing is imported
(no torch, no mmcv). The finder answers only ``import mmcv.ops``, and only when mmcv's compiled
``mmcv._ext`` is missing; then it loads the fallback module from the installed ``mmseg_mman``
package (without running the package's ``__init__``, which imports mmseg) and returns the
fallback's module spec. With the full mmcv it steps aside and mmcv's own ``mmcv.ops`` loads.

Only the standard library may be imported here, and only inside the finder.
"""
import sys

OPS_MODULE = 'mmcv.ops'
FALLBACK_MODULE = 'mmseg_mman.utils.mmcv_ops_fallback'


class MmcvOpsFallbackFinder:
    """Meta-path finder that returns the fallback's spec for ``mmcv.ops`` when ``mmcv._ext`` is missing."""

    @classmethod
    def find_spec(cls, fullname: str, path=None, target=None):
        if fullname != OPS_MODULE:
            return None
        import importlib.util

        # The parent package ``mmcv`` is imported by now.
        if importlib.util.find_spec('mmcv._ext') is not None:
            return None
        fallback = cls._fallback_module()
        return None if fallback is None else fallback.fallback_spec()

    @staticmethod
    def _fallback_module():
        """:mod:`mmseg_mman.utils.mmcv_ops_fallback`, loaded from its file if not imported yet.

        It imports only the standard library and torch, so it is loaded under its own name
        without its parent packages; a later ``import mmseg_mman`` finds it in ``sys.modules``.
        """
        if FALLBACK_MODULE in sys.modules:
            return sys.modules[FALLBACK_MODULE]
        import importlib.util
        import os.path

        package = importlib.util.find_spec(FALLBACK_MODULE.split('.')[0])
        if package is None or not package.submodule_search_locations:
            return None  # mmseg_mman is not installed any more: import mmcv.ops as usual
        path = os.path.join(package.submodule_search_locations[0], *FALLBACK_MODULE.split('.')[1:]) + '.py'
        spec = importlib.util.spec_from_file_location(FALLBACK_MODULE, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[FALLBACK_MODULE] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[FALLBACK_MODULE]
            raise
        return module


def install() -> None:
    """Put :class:`MmcvOpsFallbackFinder` first on ``sys.meta_path`` (once per interpreter)."""
    if not any(
            getattr(finder, '__name__', None) == MmcvOpsFallbackFinder.__name__ for finder in sys.meta_path):
        sys.meta_path.insert(0, MmcvOpsFallbackFinder)
