r"""Convert the Stanford Background release (iccv09Data.tar.gz, Gould et al. ICCV 2009) to mmseg's layout.

A thin CLI: the logic, and the details, are in ``mmseg_mman.datasets.converters.stanford_background``.

    python tools/dataset_converters/stanford_background.py path/to/iccv09Data -o data/stanford_background \
        [--val-ratio 0.2] [--seed 0] [--fold 0]
"""
from mmseg_mman.datasets.converters.stanford_background import main

if __name__ == '__main__':
    main()
