"""Convert Clothing Co-Parsing (CCP) to mmseg's layout, 8 coarse classes.

A thin CLI: the logic, and the details, are in ``mmseg_mman.datasets.converters.ccp``.

    python tools/dataset_converters/ccp.py path/to/clothing-co-parsing -o data/ccp \
        [--val-ratio 0.2] [--seed 0]
"""
from mmseg_mman.datasets.converters.ccp import main

if __name__ == '__main__':
    main()
