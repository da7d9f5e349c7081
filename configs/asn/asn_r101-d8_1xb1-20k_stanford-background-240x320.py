# ASN (Luc et al. 2016) on Stanford Background (8 classes; the first benchmark
# of their §4): their two-branch Stanford Background discriminator (image
# branch + label-map branch, fused) on the image + label map, minimax
# adversarial term. The segmentation network is ResNet-101-d8 with a
# LargeFOV-rate classifier, not their multi-scale network; the schedule is
# 20k iterations at batch 1 (about 35 epochs of the 572 training images).
# Metrics: pixel accuracy (aAcc), per-class accuracy (mAcc) and mIoU.
_base_ = [
    '../_base_/models/asn_r50-d8.py', '../_base_/datasets/stanford_background.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_20k.py'
]
model = dict(
    pretrained='open-mmlab://resnet101_v1c',
    backbone=dict(depth=101),
    decode_head=dict(num_classes=_base_.num_classes),
    discriminators=dict(
        _delete_=True,
        asn=dict(
            type='StanfordBackgroundDiscriminator',
            output='high',
            inputs=dict(type='LabelMapInput'),
            loss_weight=1.0)))
