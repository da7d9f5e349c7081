"""Inference cost of MMAN vs the same backbone with mmseg's plain ASPPHead: images per second and peak
memory, whole-image and with test-time augmentation (scales 0.8 / 1 / 1.2 x flip), measured in one run.

A thin CLI: the logic, and the details, are in ``mmseg_mman.benchmarks.inference_cost``.

    OMP_NUM_THREADS=1 python tools/benchmarks/inference_cost.py \
        --out work_dirs/benchmarks/inference_cost_r18.json
    python tools/benchmarks/inference_cost.py --device cuda \
        --out work_dirs/benchmarks/inference_cost_r101_cuda.json
"""
from mmseg_mman.benchmarks.inference_cost import main

if __name__ == '__main__':
    main()
