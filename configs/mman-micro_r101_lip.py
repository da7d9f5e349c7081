# Do-DeepLab-ASPP + Micro D only (22x22 patches of the full-resolution map).
# Paper Table 3: 45.52 mIoU on LIP val (53.60 low-res mIoU, isolated pixel
# rate 2.81).
_base_ = './mman_r101_lip.py'
model = dict(
    discriminators=dict(
        _delete_=True,
        micro=dict(
            type='MicroDiscriminator', output='high', loss_weight=1.0)))
