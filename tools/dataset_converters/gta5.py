"""Write Cityscapes train-id maps for GTA5 ("Playing for Data", Richter et al., ECCV 2016).

A thin CLI: the logic, and the details, are in ``mmseg_mman.datasets.converters.gta5``.

    python tools/dataset_converters/gta5.py data/gta5 [--nproc 8]
"""
from mmseg_mman.datasets.converters.gta5 import main

if __name__ == '__main__':
    main()
