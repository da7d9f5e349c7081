# Double AN (paper Table 5: 46.15 mIoU on LIP val): both discriminators on
# the top, full-resolution layer: the Single-AN global D
# (single-an_r101_lip.py) plus the Micro D, both judging the 'high' map;
# nothing judges the low-res map.
_base_ = './single-an_r101_lip.py'
model = dict(
    discriminators=dict(
        micro=dict(
            type='MicroDiscriminator', output='high', loss_weight=1.0)))
