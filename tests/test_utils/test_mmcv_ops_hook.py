"""The start-up hook: the mmcv.ops fallback in place in every interpreter, whatever it imports first.

The hook reaches an interpreter through the .pth file that ``pip install`` (plain or editable) puts
into site-packages, so most tests run a fresh interpreter of this venv; the packaging tests build both
wheels from setup.py.
"""
import importlib.util
import os
import os.path as osp
import shutil
import site
import subprocess
import sys
import textwrap
import zipfile

import pytest

from mmseg_mman.utils import mmcv_ops_hook

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
HAS_COMPILED_MMCV = importlib.util.find_spec('mmcv._ext') is not None
needs_mmcv_lite = pytest.mark.skipif(HAS_COMPILED_MMCV, reason='the full mmcv is installed: no fallback')
PTH_NAME = 'mmseg_mman_mmcv_ops_hook.pth'
REINSTALL = 'reinstall the package (bash scripts/setup_env.sh, or pip install -e .)'


def run_python(code: str, *flags: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, *flags, '-c', textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=dict(os.environ, OMP_NUM_THREADS='1'),
        cwd=REPO_ROOT,
        timeout=300)
    assert result.returncode == 0, result.stderr
    return result


def load_setup_py():
    """setup.py as a module (its ``setup()`` call is guarded by ``__main__``)."""
    spec = importlib.util.spec_from_file_location('mmseg_mman_setup', osp.join(REPO_ROOT, 'setup.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_installed_pth_runs_the_current_hook():
    installed = [osp.join(d, PTH_NAME) for d in site.getsitepackages() if osp.isfile(osp.join(d, PTH_NAME))]
    assert installed, f'{PTH_NAME} is not in {site.getsitepackages()}: {REINSTALL}'
    with open(installed[0], encoding='utf-8') as f:
        assert f.read() == load_setup_py().mmcv_ops_hook_pth(), f'{installed[0]} is stale: {REINSTALL}'


def test_interpreter_start_adds_only_the_finder():
    result = run_python("""
        import sys
        finders = [f for f in sys.meta_path if getattr(f, '__name__', '') == 'MmcvOpsFallbackFinder']
        print(len(finders), sys.meta_path[0] is finders[0],
              *(name in sys.modules for name in ('torch', 'mmcv', 'mmseg_mman', 'mmcv.ops')))
    """)
    assert result.stdout.split() == ['1', 'True', 'False', 'False', 'False', 'False']


@needs_mmcv_lite
@pytest.mark.parametrize(
    'first_import',
    [
        'import mmseg.models',  # get_flops.py, pytorch2torchscript.py (and mmseg.apis: print_config.py)
        'from mmseg.utils import register_all_modules; register_all_modules()',  # browse_dataset.py
        'import mmcv.cnn',  # mmcv's own guarded import of MultiScaleDeformableAttention
    ])
def test_mmseg_imports_before_the_plugin(first_import):
    result = run_python(f"""
        import warnings
        warnings.simplefilter('error', UserWarning)  # mmcv.cnn's warning about mmcv-lite is expected away
        {first_import}
        import mmcv, sys
        warnings.resetwarnings()
        import mmseg_mman
        from mmseg_mman.utils import mmcv_ops_fallback
        ops = sys.modules['mmcv.ops']
        print(mmcv_ops_fallback.is_mmcv_ops_fallback_installed(), mmcv.ops is ops,
              ops.point_sample is mmcv_ops_fallback.point_sample,
              mmseg_mman.utils.mmcv_ops_fallback is mmcv_ops_fallback,
              mmcv_ops_fallback.install_mmcv_ops_fallback(), ops.__spec__.name)
    """)
    assert result.stdout.split() == ['True', 'True', 'True', 'True', 'True', 'mmcv.ops']


@needs_mmcv_lite
def test_unknown_op_still_fails_naming_the_extension_when_the_hook_loaded_the_fallback():
    result = run_python("""
        import mmcv.ops, sys
        print('mmseg_mman' in sys.modules)
        try:
            from mmcv.ops import CrissCrossAttention
        except ModuleNotFoundError as error:
            print(error.name)
    """)
    assert result.stdout.split() == ['False', 'mmcv._ext']


def test_steps_aside_with_the_compiled_extension():
    # A fake mmcv._ext stands for the full mmcv: mmcv's own mmcv/ops/__init__.py runs (and fails on the
    # fake, inside mmcv's ext_loader) and nothing of the plugin is loaded.
    result = run_python("""
        import importlib.machinery, sys, types
        fake_ext = types.ModuleType('mmcv._ext')
        fake_ext.__spec__ = importlib.machinery.ModuleSpec('mmcv._ext', None)
        sys.modules['mmcv._ext'] = fake_ext
        try:
            import mmcv.ops
        except AssertionError as error:
            print('mmcv-own-ops-failed', 'miss in module _ext' in str(error))
        print('mmseg_mman.utils.mmcv_ops_fallback' in sys.modules,
              getattr(sys.modules.get('mmcv.ops'), 'is_mmseg_mman_fallback', False))
    """)
    assert result.stdout.split() == ['mmcv-own-ops-failed', 'True', 'False', 'False']


def test_finder_answers_only_mmcv_ops():
    finder = mmcv_ops_hook.MmcvOpsFallbackFinder
    for name in ('mmcv', 'mmcv.cnn', 'mmcv.opsx', 'mmcv.ops.point_sample', 'numpy'):
        assert finder.find_spec(name) is None, name
    if not HAS_COMPILED_MMCV:
        spec = finder.find_spec('mmcv.ops')
        assert spec.name == 'mmcv.ops' and spec.loader is not None


def test_install_is_idempotent():
    before = list(sys.meta_path)
    try:
        mmcv_ops_hook.install()
        mmcv_ops_hook.install()
        names = [getattr(finder, '__name__', '') for finder in sys.meta_path]
        assert names.count('MmcvOpsFallbackFinder') == 1
    finally:
        sys.meta_path[:] = before


@pytest.fixture(scope='module')
def wheels(tmp_path_factory) -> dict:
    """The wheel of ``pip install .`` and the editable wheel of ``pip install -e .`` (PEP 660), built
    from a copy of the package's files with this venv's setuptools."""
    root = tmp_path_factory.mktemp('wheels')
    source = root / 'src'
    shutil.copytree(
        REPO_ROOT,
        source,
        ignore=shutil.ignore_patterns('.*', '*.egg-info', '__pycache__', 'tests', 'configs', 'demo', 'docs',
                                      'tools', 'work_dirs', 'data', 'build', 'dist'))
    code = f"""
        from setuptools import build_meta
        print('WHEEL', build_meta.build_wheel({str(root / 'wheel')!r}))
        print('WHEEL', build_meta.build_editable({str(root / 'editable')!r}))
    """
    os.makedirs(root / 'wheel')
    os.makedirs(root / 'editable')
    result = subprocess.run([sys.executable, '-c', textwrap.dedent(code)],
                            cwd=source,
                            capture_output=True,
                            text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    plain, editable = [line.split()[1] for line in result.stdout.splitlines() if line.startswith('WHEEL ')]
    return dict(plain=str(root / 'wheel' / plain), editable=str(root / 'editable' / editable))


@pytest.mark.parametrize('kind', ['plain', 'editable'])
def test_both_wheels_put_the_pth_into_site_packages(wheels, kind):
    with zipfile.ZipFile(wheels[kind]) as wheel:
        names = wheel.namelist()
        record = wheel.read(next(name for name in names if name.endswith('.dist-info/RECORD'))).decode()
        content = wheel.read(PTH_NAME).decode() if PTH_NAME in names else None
    # At the wheel's top level, so in site-packages (purelib), and in RECORD, so uninstalled with the package.
    assert content == load_setup_py().mmcv_ops_hook_pth()
    assert any(line.startswith(f'{PTH_NAME},') for line in record.splitlines())


@needs_mmcv_lite
def test_built_pth_makes_mmseg_models_importable(wheels, tmp_path):
    with zipfile.ZipFile(wheels['plain']) as wheel:
        wheel.extract(PTH_NAME, tmp_path)
    # -S: no site-packages .pth runs, so the one installed in this venv does not take part.
    result = run_python(
        f"""
        import sys
        sys.path += {site.getsitepackages() + [REPO_ROOT]!r}
        with open({str(tmp_path / PTH_NAME)!r}) as f:
            exec(f.read())
        import mmseg.models, mmcv
        print(mmcv.ops.is_mmseg_mman_fallback)
    """, '-S')
    assert result.stdout.split() == ['True']
