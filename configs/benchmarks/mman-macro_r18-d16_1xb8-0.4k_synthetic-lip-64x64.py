# Macro D only (on the low-resolution map) on top of the CE-only baseline of
# the CPU demo: the synthetic counterpart of configs/mman/mman-macro_r101-d16_1xb1-30e_lip-256x256.py,
# used by tools/benchmarks/quality.py.
_base_ = '../demo/mman_r18-d16_1xb8-0.4k_synthetic-lip-64x64.py'
model = dict(
    discriminators=dict(
        _delete_=True,
        macro=dict(
            type='MacroDiscriminator', inputs=dict(type='LabelMapInput'), output='low', base_channels=32)))
