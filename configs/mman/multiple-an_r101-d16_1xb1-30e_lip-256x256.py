# Multiple AN (paper Table 5: 46.97 mIoU on LIP val): MMAN plus a third
# discriminator, a Micro D on the intermediate decoder map after the
# shallowest skip stage (stride 4: 64x64 for a 256x256 crop). The paper gives
# no weight for that map's cross-entropy: 25, as for the low-res map.
_base_ = './mman_r101-d16_1xb1-30e_lip-256x256.py'
model = dict(
    decode_head=dict(
        with_mid_output=True, loss_mid=dict(type='CrossEntropyLoss', loss_weight=25.0, avg_non_ignore=True)),
    discriminators=dict(
        mid=dict(type='MicroDiscriminator', inputs=dict(
            type='LabelMapInput'), output='mid', loss_weight=1.0)))
