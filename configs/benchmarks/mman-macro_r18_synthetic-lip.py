# Macro D only (on the low-resolution map) on top of the CE-only baseline of
# the CPU demo: the synthetic counterpart of configs/mman-macro_r101_lip.py,
# used by tools/benchmarks/quality.py.
_base_ = '../demo/mman_r18_synthetic-lip.py'
model = dict(
    discriminators=dict(
        _delete_=True,
        macro=dict(
            type='MacroDiscriminator', output='low', base_channels=32)))
