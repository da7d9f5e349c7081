# AdaptSegNet (multi-level) on the synthetic two-domain task, small enough
# for a CPU: a narrow ResNetV1c-18 at output stride 4 trained from scratch,
# DeepLab-v2 classifiers on layer3 ('aux') and layer4 ('high') with dilations
# scaled to the 8x8 feature maps, the paper's discriminators at half width
# (32-64-128-256-1; the full width makes a CPU step 2-3x slower), adversarial
# weights 10x the paper's for a 1000-iteration run (calibration: README).
# Compare with ./source-only_r18-d4_1xb8-1k_synthetic-domains-32x32.py:
#   python demo/adaptation_demo.py
_base_ = [
    '../_base_/models/adaptsegnet_r50-d8.py', '../_base_/datasets/synthetic_domains.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_1k.py'
]
dilations = (1, 2, 3, 4)
model = dict(
    data_preprocessor=dict(size=_base_.crop_size),
    pretrained=None,
    backbone=dict(
        depth=18,
        stem_channels=16,
        base_channels=16,
        strides=(1, 1, 1, 1),
        # from scratch: BN must learn its statistics and affine parameters
        norm_cfg=dict(type='BN', requires_grad=True),
        norm_eval=False),
    decode_head=dict(
        in_channels=128,
        dilations=dilations,
        num_classes=_base_.num_classes,
        init_cfg=dict(type='Kaiming', layer='Conv2d')),
    auxiliary_head=dict(
        in_channels=64,
        dilations=dilations,
        num_classes=_base_.num_classes,
        init_cfg=dict(type='Kaiming', layer='Conv2d')),
    discriminators=dict(
        aux=dict(base_channels=32, loss_weight=0.002), main=dict(base_channels=32, loss_weight=0.01)))
env_cfg = dict(cudnn_benchmark=False, dist_cfg=dict(backend='gloo'))
randomness = dict(seed=0)
log_level = 'WARNING'
