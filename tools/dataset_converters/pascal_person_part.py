r"""Convert the PASCAL-Person-Part release into mmseg's layout.

A thin CLI: the logic, and the details, are in ``mmseg_mman.datasets.converters.pascal_person_part``.

    python tools/dataset_converters/pascal_person_part.py path/to/pascal_person_part \
        path/to/VOCdevkit/VOC2010/JPEGImages -o data/pascal_person_part
"""
from mmseg_mman.datasets.converters.pascal_person_part import main

if __name__ == '__main__':
    main()
