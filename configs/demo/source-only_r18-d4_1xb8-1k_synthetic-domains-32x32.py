# The source-only baseline of ./adaptsegnet_r18-d4_1xb8-1k_synthetic-domains-32x32.py: same
# generator, schedule and data, no discriminator (target images unused).
_base_ = './adaptsegnet_r18-d4_1xb8-1k_synthetic-domains-32x32.py'
model = dict(discriminators=None)
optim_wrapper = dict(
    _delete_=True, constructor='SegGANOptimWrapperConstructor', generator=_base_.optim_wrapper.generator)
