# MMAN on the synthetic LIP-layout data, small enough for a CPU: ResNetV1c-18
# trained from scratch (no download), a narrow MMANHead, Macro + Micro D.
# Make the data first: python tools/misc/make_synthetic_lip.py data/synthetic_lip
_base_ = [
    '../_base_/models/mman_r50-d16.py', '../_base_/datasets/synthetic_lip.py', '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_400.py'
]
data_preprocessor = dict(size=_base_.crop_size)
model = dict(
    data_preprocessor=data_preprocessor,
    pretrained=None,
    backbone=dict(depth=18, norm_eval=False),  # from scratch: BN must learn its statistics
    decode_head=dict(
        in_channels=[64, 128, 256, 512],
        decoder_channels=(128, 64, 32),
        final_upsample_channels=(32, 32),
        channels=32,
        skip_channels=16,
        # The paper's N(0, 0.001) classifiers grow too slowly for a 400-iteration
        # run: the full-resolution branch would still predict only background.
        init_cfg=dict(type='Kaiming', layer='Conv2d'),
        num_classes=_base_.num_classes),
    test_cfg=dict(flip_pairs=_base_.flip_pairs),
    discriminators=dict(macro=dict(base_channels=32), micro=dict(base_channels=32)))
env_cfg = dict(cudnn_benchmark=False, dist_cfg=dict(backend='gloo'))
randomness = dict(seed=0)
