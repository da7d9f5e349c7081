# The CAM baseline of seenet_r50-d16_1xb1-30k_ccp-tags-224.py: S_A alone, same
# backbone, data and schedule.
_base_ = './seenet_r50-d16_1xb1-30k_ccp-tags-224.py'
model = dict(decode_head=dict(self_erasing=False))
