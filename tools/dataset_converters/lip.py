"""Convert the official LIP archives into mmseg's LIP layout.

A thin CLI: the logic, and the details, are in ``mmseg_mman.datasets.converters.lip``.

    python tools/dataset_converters/lip.py TrainVal_images.zip TrainVal_parsing_annotations.zip -o data/LIP
"""
from mmseg_mman.datasets.converters.lip import main

if __name__ == '__main__':
    main()
