# Double AN (paper Table 5: 46.15 mIoU on LIP val): both discriminators on
# the top, full-resolution layer: the Single-AN global D
# (single-an_r101-d16_1xb1-30e_lip-256x256.py) plus the Micro D, both judging the 'high' map;
# nothing judges the low-res map.
_base_ = './single-an_r101-d16_1xb1-30e_lip-256x256.py'
model = dict(
    discriminators=dict(
        micro=dict(
            type='MicroDiscriminator', inputs=dict(type='LabelMapInput'), output='high', loss_weight=1.0)))
