r"""Parsing quality of the CE-only baseline, Macro-only, Micro-only and MMAN trained with identical
schedules, data and seeds: mIoU, low-resolution mIoU (mIoU_low) and isolated pixel rate (IPR).

A thin CLI: the logic, and the details, are in ``mmseg_mman.benchmarks.quality``.

    OMP_NUM_THREADS=1 python tools/benchmarks/quality.py synthetic ccp \
        --ccp-root path/to/clothing-co-parsing --iters 200 --out work_dirs/benchmarks/quality.json
"""
from mmseg_mman.benchmarks.quality import main

if __name__ == '__main__':
    main()
