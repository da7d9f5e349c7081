# Do-DeepLab-ASPP + Macro D only (on the low-resolution map). Paper (LIP val,
# Tables 1 and 4): 45.60 mIoU (55.79 low-res mIoU, isolated pixel rate 4.23).
_base_ = './mman_r101-d16_1xb1-30e_lip-256x256.py'
model = dict(
    discriminators=dict(
        _delete_=True,
        macro=dict(
            type='MacroDiscriminator', inputs=dict(type='LabelMapInput'), output='low', loss_weight=1.0)))
