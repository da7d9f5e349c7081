# The CE-only baseline ("Do-DeepLab-ASPP") of mman_r18-d16_1xb8-0.4k_ccp-64x64.py: same
# generator, schedule and data, no discriminator.
_base_ = './mman_r18-d16_1xb8-0.4k_ccp-64x64.py'
model = dict(discriminators=None)
optim_wrapper = dict(
    _delete_=True, constructor='SegGANOptimWrapperConstructor', generator=_base_.optim_wrapper.generator)
