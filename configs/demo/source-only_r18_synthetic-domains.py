# The source-only baseline of ./adaptsegnet_r18_synthetic-domains.py: same
# generator, schedule and data, no discriminator (target images unused).
_base_ = './adaptsegnet_r18_synthetic-domains.py'
model = dict(discriminators=None)
optim_wrapper = dict(
    _delete_=True,
    constructor='SegGANOptimWrapperConstructor',
    generator=_base_.optim_wrapper.generator)
