r"""Semi-supervised CCP parsing: MMAN on the pixel-labelled photos alone vs MMAN plus CCP's 1,094 tag-only
photos pseudo-labelled by SeeNet with the first MMAN's saliency; SeeNet vs CAM pseudo-label quality.

A thin CLI: the steps, and the details, are in ``mmseg_mman.benchmarks.seenet_semi_supervised``.

    OMP_NUM_THREADS=1 python tools/benchmarks/seenet_semi_supervised.py \
        --ccp-root path/to/clothing-co-parsing --seeds 0 1 2 \
        --out work_dirs/benchmarks/seenet_semi_supervised.json
"""
from mmseg_mman.benchmarks.seenet_semi_supervised import main

if __name__ == '__main__':
    main()
