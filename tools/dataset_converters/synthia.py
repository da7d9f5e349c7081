"""Write Cityscapes train-id maps for SYNTHIA-RAND-CITYSCAPES (Ros et al., CVPR 2016).

A thin CLI: the logic, and the details, are in ``mmseg_mman.datasets.converters.synthia``.

    python tools/dataset_converters/synthia.py data/synthia [--nproc 8]
"""
from mmseg_mman.datasets.converters.synthia import main

if __name__ == '__main__':
    main()
