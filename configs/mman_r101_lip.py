# The front door: MMAN on LIP, the paper's recipe (ResNet-101, Macro + Micro D,
# 30 epochs at batch size 1, 256x256 crops). The config itself, named as mmseg
# names its configs, is mman/mman_r101-d16_1xb1-30e_lip-256x256.py.
#   python tools/train.py configs/mman_r101_lip.py
_base_ = './mman/mman_r101-d16_1xb1-30e_lip-256x256.py'
