# The CAM baseline of seenet_r18-d8_1xb8-1k_ccp-fine-tags-64x96.py: S_A alone,
# same backbone, fine tags, folding, schedule and seed.
_base_ = './seenet_r18-d8_1xb8-1k_ccp-fine-tags-64x96.py'
model = dict(decode_head=dict(self_erasing=False))
