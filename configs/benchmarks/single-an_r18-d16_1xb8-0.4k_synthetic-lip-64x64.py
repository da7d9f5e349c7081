# Single AN (one discriminator with a global field of view on the
# full-resolution map, the ASN of Luc et al. 2016) at the CPU demo's size: the
# counterpart of configs/mman/single-an_r101-d16_1xb1-30e_lip-256x256.py, used by
# tools/benchmarks/train_cost.py. Six 4x4 stride-2 convolutions see
# 1 + 3 * (2**6 - 1) = 190 pixels, a global view of crops up to 190 px; the
# paper's seven are for 256 px.
_base_ = '../demo/mman_r18-d16_1xb8-0.4k_synthetic-lip-64x64.py'
model = dict(
    discriminators=dict(
        _delete_=True,
        single=dict(
            type='ConvDiscriminator',
            inputs=dict(type='LabelMapInput'),
            output='high',
            num_convs=6,
            base_channels=32,
            global_score=True)))
