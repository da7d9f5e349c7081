# SeeNet on the synthetic weak-supervision task, small enough for a CPU:
# ResNetV1c-18 at a quarter of its width (base_channels=16), output stride 8
# (a 64 px image gives 8x8 attention; stride 16 would give 4x4), trained from
# scratch (no download) for 1,000 iterations of batch 8, with an S_A-only
# warm-up (from random initialisation joint training from step 0 did not
# converge in the design note's toy). Make the data first:
#   python tools/misc/make_synthetic_weak.py data/synthetic_weak
# Pseudo labels of the training images (threshold rule, flip-max), scored
# against their masks by PseudoLabelMetric:
#   python tools/test.py configs/seenet/seenet_r18-d8_1xb8-1k_synthetic-weak-64x64.py \
#       work_dirs/seenet_r18-d8_1xb8-1k_synthetic-weak-64x64/iter_1000.pth --trust-checkpoint \
#       --out work_dirs/synthetic_weak_pseudo_labels
_base_ = [
    '../_base_/models/seenet_r50-d16.py', '../_base_/datasets/synthetic_weak.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_seenet_1k.py'
]
width = 16
model = dict(
    data_preprocessor=dict(size=_base_.crop_size, size_divisor=None, test_cfg=dict(size_divisor=8)),
    pretrained=None,
    backbone=dict(
        depth=18,
        base_channels=width,
        stem_channels=width,
        strides=(1, 2, 1, 1),
        dilations=(1, 1, 2, 4),
        norm_eval=False),  # from scratch: BN must learn its statistics
    decode_head=dict(
        in_channels=8 * width,
        channels=64,
        num_classes=_base_.num_classes,
        warmup_iters=300,
        # From scratch, N(0, 0.01) branches (the Caffe init) can leave S_A at chance long after the
        # warm-up; Kaiming init starts it learning within tens of iterations.
        init_cfg=dict(type='Kaiming', layer='Conv2d')))
env_cfg = dict(cudnn_benchmark=False, dist_cfg=dict(backend='gloo'))
randomness = dict(seed=0)
# A plain classifier (no custom train_step): mmengine's default DDP wrapper.
model_wrapper_cfg = dict(_delete_=True, type='MMDistributedDataParallel', find_unused_parameters=False)
