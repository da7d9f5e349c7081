r"""Does self-erasing widen the attention? SeeNet vs the CAM baseline on the synthetic weak-supervision
task, 3 seeds: coverage@0.3 and leak@0.3 of the attention, threshold-rule pseudo-label mIoU.

A thin CLI: the logic, and the details, are in ``mmseg_mman.benchmarks.seenet_mechanism``.

    OMP_NUM_THREADS=1 python tools/benchmarks/seenet_mechanism.py --seeds 0 1 2 --iters 800 \
        --out work_dirs/benchmarks/seenet_mechanism.json
"""
from mmseg_mman.benchmarks.seenet_mechanism import main

if __name__ == '__main__':
    main()
