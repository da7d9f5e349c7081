# The CAM baseline of seenet_r18-d8_1xb8-1k_ccp-tags-64x96.py: S_A alone, same
# backbone, data, schedule and seed.
_base_ = './seenet_r18-d8_1xb8-1k_ccp-tags-64x96.py'
model = dict(decode_head=dict(self_erasing=False))
