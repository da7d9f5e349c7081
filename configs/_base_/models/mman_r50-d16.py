# MMAN (Luo et al., ECCV 2018): "Do-DeepLab-ASPP" generator + Macro and Micro
# discriminators. The paper uses ResNet-101 (configs/mman_r101_lip.py sets
# depth=101); this base file, like mmseg's, starts from ResNet-50.
#
# Output stride 16 (paper §3.2): layer3 at stride 16, layer4 dilated by 2.
# Batch size 1 (paper §4.2) leaves BatchNorm nothing to estimate, so the
# backbone keeps its ImageNet statistics (norm_eval=True); the affine
# parameters still train.
norm_cfg = dict(type='BN', requires_grad=True)
data_preprocessor = dict(
    type='SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255,
    # Test images are padded to a multiple of the output stride and the
    # prediction cropped back, so feature maps align for any image size.
    test_cfg=dict(size_divisor=16))
model = dict(
    type='AdversarialEncoderDecoder',
    data_preprocessor=data_preprocessor,
    pretrained='open-mmlab://resnet50_v1c',
    backbone=dict(
        type='ResNetV1c',
        depth=50,
        num_stages=4,
        out_indices=(0, 1, 2, 3),
        strides=(1, 2, 2, 1),
        dilations=(1, 1, 1, 2),
        norm_cfg=norm_cfg,
        norm_eval=True,
        style='pytorch',
        contract_dilation=True),
    decode_head=dict(
        type='MMANHead',
        # layer1..layer4 at strides 4, 8, 16, 16: the low-resolution map
        # comes from layer4, the decoder adds skips from layer3..layer1.
        in_channels=[256, 512, 1024, 2048],
        in_index=[0, 1, 2, 3],
        # Decoder widths of the authors' code (2048 -> 1024 -> 512 -> 256 ->
        # 64 -> C); two x2 steps take stride 4 to the input resolution.
        decoder_channels=(1024, 512, 256),
        final_upsample_channels=(64, 64),
        channels=64,
        skip_channels=48,
        # 1x1 + 3x3 with dilations {2, 4, 6}, each straight to C classes.
        aspp_dilations=(1, 2, 4, 6),
        decoder_dropout_ratio=0.1,
        dropout_ratio=0.1,
        # No num_classes: the top-level config takes it from its dataset base
        # (num_classes=_base_.num_classes); without it MMANHead fails to build.
        norm_cfg=dict(type='IN'),
        align_corners=False,
        # Paper Eq. 5: lambda1 = 25 (CE_low), lambda3 = 100 (CE_high).
        loss_low=dict(type='CrossEntropyLoss', loss_weight=25.0, avg_non_ignore=True),
        loss_decode=dict(type='CrossEntropyLoss', loss_weight=100.0, avg_non_ignore=True)),
    # Macro D judges the whole low-resolution map (one global score), Micro D
    # 22x22 patches of the full-resolution map (paper §3.3-3.4, Eq. 2-4;
    # lambda2 = 1). Each sees the image and a label map (LabelMapInput), which
    # also derives its in_channels (3 + num_classes).
    discriminators=dict(
        macro=dict(
            type='MacroDiscriminator', inputs=dict(type='LabelMapInput'), output='low', loss_weight=1.0),
        micro=dict(
            type='MicroDiscriminator', inputs=dict(type='LabelMapInput'), output='high', loss_weight=1.0)),
    gan_loss=dict(type='GANLoss', loss_type='vanilla'),
    train_cfg=dict(),
    # low_res_prediction: the low-resolution map LowResIoUMetric scores. The
    # left/right label pairs swapped back in flipped test views
    # (test_cfg.flip_pairs; None for a dataset without left/right classes)
    # come from the dataset base: the top-level config sets them.
    test_cfg=dict(mode='whole', low_res_prediction=True))
