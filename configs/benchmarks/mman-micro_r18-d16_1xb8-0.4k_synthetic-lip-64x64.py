# Micro D only (22x22 patches of the full-resolution map) on top of the
# CE-only baseline of the CPU demo: the synthetic counterpart of
# configs/mman/mman-micro_r101-d16_1xb1-30e_lip-256x256.py, used by tools/benchmarks/quality.py.
_base_ = '../demo/mman_r18-d16_1xb8-0.4k_synthetic-lip-64x64.py'
model = dict(
    discriminators=dict(
        _delete_=True,
        micro=dict(
            type='MicroDiscriminator', inputs=dict(type='LabelMapInput'), output='high', base_channels=32)))
