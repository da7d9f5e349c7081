# Do-DeepLab-ASPP + Micro D only (22x22 patches of the full-resolution map).
# Paper (LIP val, Tables 1 and 4): 45.52 mIoU (53.60 low-res mIoU, isolated pixel
# rate 2.81).
_base_ = './mman_r101-d16_1xb1-30e_lip-256x256.py'
model = dict(
    discriminators=dict(
        _delete_=True,
        micro=dict(
            type='MicroDiscriminator', inputs=dict(type='LabelMapInput'), output='high', loss_weight=1.0)))
