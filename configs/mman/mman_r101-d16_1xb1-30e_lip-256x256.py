# MMAN (Luo et al., ECCV 2018) on LIP, the paper's recipe: ResNet-101
# (ImageNet) at output stride 16, MMANHead (low-res ASPP + full-res decoder),
# Macro D on the low-res map, Micro D on the full-res map, vanilla GAN loss,
# CE weights 25 (low) / 100 (high), adversarial weights 1 / 1, Adam 2e-4,
# batch size 1, 256x256 crops, 30 epochs with lr /10 after 15.
# Paper: 46.81 mIoU on LIP val (56.95 low-res mIoU, isolated pixel rate 2.47).
_base_ = './mman_r50-d16_1xb1-30e_lip-256x256.py'
model = dict(pretrained='open-mmlab://resnet101_v1c', backbone=dict(depth=101))
