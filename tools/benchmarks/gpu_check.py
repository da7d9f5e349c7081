r"""Everything CUDA-only in one time-boxed run (under 8 minutes on one GPU): AMP training, the
``--device cuda`` benchmarks, train / resume / test / infer, ONNX with onnxruntime's CUDA provider and
DDP with NCCL; OUT_DIR/gpu_check.json and OUT_DIR/summary.md. ``--dry-run`` walks every step on the CPU.

A thin CLI: the logic, and the details, are in ``mmseg_mman.benchmarks.gpu_check``.

    python tools/benchmarks/gpu_check.py work_dirs/gpu_check
    python tools/benchmarks/gpu_check.py work_dirs/gpu_check_dry --dry-run
"""
import sys

from mmseg_mman.benchmarks.gpu_check import main

if __name__ == '__main__':
    sys.exit(main())
