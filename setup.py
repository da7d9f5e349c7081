"""Install mmseg-mman: ``pip install -e .`` (see README, "Installation")."""
import os.path as osp
import subprocess
import sys
from setuptools import Command, find_packages, setup
from setuptools.command.build import build
from typing import List

HERE = osp.dirname(osp.abspath(__file__))
MMCV_FULL_REQUIREMENT = 'mmcv>=2.0.0rc4,<2.2.0'
MMCV_LITE_REQUIREMENT = 'mmcv-lite==2.1.0'
# The mmcv.ops start-up hook: its source, embedded in a .pth file that site runs at interpreter start.
MMCV_OPS_HOOK_SOURCE = osp.join(HERE, 'mmseg_mman', 'utils', 'mmcv_ops_hook.py')
MMCV_OPS_HOOK_PTH = 'mmseg_mman_mmcv_ops_hook.pth'


def read_version() -> str:
    namespace: dict = {}
    with open(osp.join(HERE, 'mmseg_mman', 'version.py'), encoding='utf-8') as f:
        exec(f.read(), namespace)
    return namespace['__version__']


def read_requirements(name: str) -> List[str]:
    """Requirement lines of ``requirements/<name>.txt``, following ``-r`` includes."""
    path = osp.join(HERE, 'requirements', f'{name}.txt')
    requirements = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if line.startswith('-r '):
                included = osp.splitext(osp.basename(line[3:].strip()))[0]
                requirements += read_requirements(included)
            elif line:
                requirements.append(line)
    return requirements


def full_mmcv_installed() -> bool:
    """Whether the full mmcv (not mmcv-lite) is installed in the interpreter pip installs into.

    pip's build isolation hides that environment from this process (through PYTHONPATH), so
    ask the same interpreter in isolated mode (``-I``), which sees its own site-packages.
    """
    probe = 'import importlib.metadata as m; m.distribution("mmcv")'
    return subprocess.run([sys.executable, '-I', '-c', probe],
                          stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0


def mmcv_requirement() -> str:
    """Keep an installed full mmcv; otherwise mmcv-lite (the same ``mmcv`` package, no ops).

    Both distributions install the ``mmcv`` package, so requiring mmcv-lite next to the full
    mmcv would overwrite its files.
    """
    return MMCV_FULL_REQUIREMENT if full_mmcv_installed() else MMCV_LITE_REQUIREMENT


def mmcv_ops_hook_pth() -> str:
    """The .pth line: run the hook's source in a namespace of its own, then ``install()``.

    site executes a .pth line that starts with ``import``. The source is embedded (not imported)
    so that the line needs neither sys.path nor the order in which site reads .pth files.
    """
    with open(MMCV_OPS_HOOK_SOURCE, encoding='utf-8') as f:
        source = f.read() + '\ninstall()\n'
    return f"import sys; exec({source!r}, {{'__name__': 'mmseg_mman.utils.mmcv_ops_hook'}})\n"


class build_mmcv_ops_hook(Command):
    """Write the mmcv.ops start-up hook's .pth file (see mmseg_mman/utils/mmcv_ops_hook.py).

    A build sub-command (setuptools' ``SubCommand`` protocol): for a wheel it goes into
    ``build_lib``, which becomes site-packages. An editable wheel is packed from the install
    folder (as its data files and scripts are), not from its throw-away ``build_lib``.
    """
    description = 'write the mmcv.ops start-up hook (.pth)'
    user_options: list = []

    def initialize_options(self) -> None:
        self.build_lib = None
        self.editable_mode = False

    def finalize_options(self) -> None:
        self.set_undefined_options('build_py', ('build_lib', 'build_lib'))

    def _target(self) -> str:
        folder = self.get_finalized_command('install').install_lib if self.editable_mode else self.build_lib
        return osp.join(folder, MMCV_OPS_HOOK_PTH)

    def run(self) -> None:
        target = self._target()
        self.mkpath(osp.dirname(target))
        with open(target, 'w', encoding='utf-8') as f:
            f.write(mmcv_ops_hook_pth())

    def get_source_files(self) -> List[str]:
        return [MMCV_OPS_HOOK_SOURCE]

    def get_outputs(self) -> List[str]:
        return [] if self.editable_mode else [self._target()]

    def get_output_mapping(self) -> dict:
        return {}


class build_with_mmcv_ops_hook(build):
    sub_commands = build.sub_commands + [('build_mmcv_ops_hook', None)]


if __name__ == '__main__':
    setup(
        name='mmseg-mman',
        version=read_version(),
        description='MMAN (Macro-Micro Adversarial Network, ECCV 2018) for human '
        'parsing, as an MMSegmentation 1.x plugin',
        long_description=open(osp.join(HERE, 'README.md'), encoding='utf-8').read() if osp.isfile(
            osp.join(HERE, 'README.md')) else '',
        long_description_content_type='text/markdown',
        keywords='computer vision, semantic segmentation, human parsing, GAN',
        packages=find_packages(include=('mmseg_mman', 'mmseg_mman.*')),
        python_requires='>=3.8',
        classifiers=[
            'Programming Language :: Python :: 3',
            'Topic :: Scientific/Engineering :: Artificial Intelligence',
        ],
        install_requires=read_requirements('runtime') + [mmcv_requirement()],
        extras_require={
            'tests': read_requirements('tests'),
            'optional': read_requirements('optional'),
            'deploy': read_requirements('deploy'),
            'all': read_requirements('tests') + read_requirements('optional'),
        },
        cmdclass={
            'build': build_with_mmcv_ops_hook,
            'build_mmcv_ops_hook': build_mmcv_ops_hook
        },
        zip_safe=False)
