"""Install mmseg-mman: ``pip install -e .`` (see README, "Installation")."""
import os.path as osp
import subprocess
import sys
from setuptools import find_packages, setup
from typing import List

HERE = osp.dirname(osp.abspath(__file__))
MMCV_FULL_REQUIREMENT = 'mmcv>=2.0.0rc4,<2.2.0'
MMCV_LITE_REQUIREMENT = 'mmcv-lite==2.1.0'


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
        zip_safe=False)
