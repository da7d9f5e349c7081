# The CAM baseline of seenet-parser-sal_r18-d8_1xb8-1k_ccp-fine-tags-64x96.py:
# the classifier of cam_r18-d8_1xb8-1k_ccp-fine-tags-64x96.py (S_A alone), same
# folding, rule, saliency and photos.
_base_ = './seenet-parser-sal_r18-d8_1xb8-1k_ccp-fine-tags-64x96.py'
model = dict(decode_head=dict(self_erasing=False))
