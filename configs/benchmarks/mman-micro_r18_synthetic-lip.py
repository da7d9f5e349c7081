# Micro D only (22x22 patches of the full-resolution map) on top of the
# CE-only baseline of the CPU demo: the synthetic counterpart of
# configs/mman-micro_r101_lip.py, used by tools/benchmarks/quality.py.
_base_ = '../demo/mman_r18_synthetic-lip.py'
model = dict(
    discriminators=dict(
        _delete_=True,
        micro=dict(
            type='MicroDiscriminator', output='high', base_channels=32)))
