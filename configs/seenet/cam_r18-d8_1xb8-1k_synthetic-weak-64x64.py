# The CAM baseline of seenet_r18-d8_1xb8-1k_synthetic-weak-64x64.py: S_A alone,
# same backbone, data, schedule and seed.
_base_ = './seenet_r18-d8_1xb8-1k_synthetic-weak-64x64.py'
model = dict(decode_head=dict(self_erasing=False))
