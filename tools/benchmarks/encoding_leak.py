r"""How much a label-map encoding leaks: a discriminator on real maps vs fake maps whose labels agree.

A thin CLI: the logic, and the details, are in ``mmseg_mman.benchmarks.encoding_leak``.

    OMP_NUM_THREADS=1 python tools/benchmarks/encoding_leak.py --seeds 0 1 2 \
        --out work_dirs/benchmarks/encoding_leak.json
"""
from mmseg_mman.benchmarks.encoding_leak import main

if __name__ == '__main__':
    main()
