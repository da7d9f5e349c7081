"""Convert the CIHP release (instance-level_human_parsing) into the layout of ``CIHPDataset``.

A thin CLI: the logic, and the details, are in ``mmseg_mman.datasets.converters.cihp``.

    python tools/dataset_converters/cihp.py path/to/instance-level_human_parsing -o data/CIHP
"""
from mmseg_mman.datasets.converters.cihp import main

if __name__ == '__main__':
    main()
