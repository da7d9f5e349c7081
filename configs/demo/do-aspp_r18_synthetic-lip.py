# The CE-only baseline of configs/demo/mman_r18_synthetic-lip.py: same
# generator, schedule and data, no discriminator.
_base_ = './mman_r18_synthetic-lip.py'
model = dict(discriminators=None)
optim_wrapper = dict(
    _delete_=True,
    constructor='SegGANOptimWrapperConstructor',
    generator=_base_.optim_wrapper.generator)
