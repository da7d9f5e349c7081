# "Do-DeepLab-ASPP": the MMAN generator trained with cross-entropy only (both
# outputs, weights 25 / 100), no discriminator. Paper (LIP val, Tables 1
# and 4): 44.72 mIoU (50.66 low-res mIoU, isolated pixel rate 5.62).
_base_ = './mman_r101-d16_1xb1-30e_lip-256x256.py'
model = dict(discriminators=None)
# Only the generator optimizer and its lr schedule are left.
optim_wrapper = dict(
    _delete_=True, constructor='SegGANOptimWrapperConstructor', generator=_base_.optim_wrapper.generator)
param_scheduler = dict(_delete_=True, generator=_base_.param_scheduler.generator)
