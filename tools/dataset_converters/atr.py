"""Convert the ATR release (humanparsing) into the layout of ``ATRDataset``, with its split.

A thin CLI: the logic, and the details, are in ``mmseg_mman.datasets.converters.atr``.

    python tools/dataset_converters/atr.py path/to/humanparsing -o data/ATR
"""
from mmseg_mman.datasets.converters.atr import main

if __name__ == '__main__':
    main()
