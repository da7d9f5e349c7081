# Do-DeepLab-ASPP + Macro D only (on the low-resolution map). Paper Table 3:
# 45.60 mIoU on LIP val (55.79 low-res mIoU, isolated pixel rate 4.23).
_base_ = './mman_r101_lip.py'
model = dict(
    discriminators=dict(
        _delete_=True,
        macro=dict(type='MacroDiscriminator', output='low', loss_weight=1.0)))
