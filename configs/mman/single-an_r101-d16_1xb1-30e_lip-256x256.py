# Single AN (paper Table 5: 45.23 mIoU on LIP val): one discriminator with a
# global field of view on the full-resolution 256x256 map, i.e. the ASN of
# Luc et al. 2016. Seven 4x4 stride-2 convolutions see 1 + 3 * (2**7 - 1) =
# 382 >= 256 pixels, and their scores are averaged into one per image.
_base_ = './mman_r101-d16_1xb1-30e_lip-256x256.py'
model = dict(
    discriminators=dict(
        _delete_=True,
        single=dict(
            type='ConvDiscriminator',
            inputs=dict(type='LabelMapInput'),
            output='high',
            num_convs=7,
            global_score=True,
            loss_weight=1.0)))
