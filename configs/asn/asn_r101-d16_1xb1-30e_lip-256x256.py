# ASN (Luc et al. 2016) on LIP with MMAN's generator: the baseline "ASN" of
# MMAN's Table 1 (45.41 mIoU on LIP val), distinct from "Single AN" (MMAN's
# Table 5, configs/mman/single-an_...: MMAN's 4x4 stride-2 InstanceNorm D on
# image + label map). Here one discriminator of Luc et al. judges the
# full-resolution map: their LargeFOV network on the product encoding, with
# the minimax adversarial term of their hybrid loss (lambda = 1, against
# MMAN's CE weights 25 / 100). Same generator, data and schedule as
# configs/mman_r101_lip.py.
_base_ = '../mman/mman_r101-d16_1xb1-30e_lip-256x256.py'
model = dict(
    discriminators=dict(
        _delete_=True,
        asn=dict(
            type='FOVDiscriminator',
            field_of_view='large',
            output='high',
            inputs=dict(type='ProductLabelMapInput'),
            loss_weight=1.0)),
    gan_loss=dict(generator_loss='minimax'))
