"""Training cost of MMAN vs its CE-only baseline vs Single AN: seconds per iteration, peak memory and
parameter counts, measured in one run.

A thin CLI: the logic, and the details, are in ``mmseg_mman.benchmarks.train_cost``.

    OMP_NUM_THREADS=1 python tools/benchmarks/train_cost.py --out work_dirs/benchmarks/train_cost_r18.json
    python tools/benchmarks/train_cost.py --device cuda --out work_dirs/benchmarks/train_cost_r101_cuda.json
"""
from mmseg_mman.benchmarks.train_cost import main

if __name__ == '__main__':
    main()
