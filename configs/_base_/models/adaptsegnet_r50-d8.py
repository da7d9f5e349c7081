# AdaptSegNet (Tsai et al., CVPR 2018): DeepLab-v2 generator + one fully
# convolutional discriminator per output level, for unsupervised domain
# adaptation (labelled source images, unlabelled target images). The paper
# uses ResNet-101 (the top-level configs set depth=101); this base file, like
# mmseg's, starts from ResNet-50.
#
# Output stride 8 (layer3 dilated by 2, layer4 by 4). The backbone's BN is
# frozen (statistics and affine parameters), as in the authors' code.
data_preprocessor = dict(
    type='DomainAdaptationDataPreProcessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255)
# The multi-level model's losses (paper Eq. 4, §4.1): segmentation on the
# source with the auxiliary (layer3) output weighted 0.1; adversarial terms on
# the target weighted 0.0002 (aux) and 0.001 (main).
seg_loss = dict(type='CrossEntropyLoss', loss_weight=1.0, avg_non_ignore=True)
model = dict(
    type='AdversarialEncoderDecoder',
    data_preprocessor=data_preprocessor,
    pretrained='open-mmlab://resnet50_v1c',
    backbone=dict(
        type='ResNetV1c',
        depth=50,
        num_stages=4,
        out_indices=(0, 1, 2, 3),
        strides=(1, 2, 1, 1),
        dilations=(1, 1, 2, 4),
        norm_cfg=dict(type='BN', requires_grad=False),
        norm_eval=True,
        style='pytorch',
        contract_dilation=True),
    # DeepLab-v2 classifiers: sum of 3x3 convs with dilations 6, 12, 18, 24
    # straight to the classes, on layer4 (main output, 'high') and layer3
    # (auxiliary output, 'aux'). No num_classes: the top-level config takes
    # it from its dataset base; without it the heads fail to build.
    decode_head=dict(
        type='DeepLabV2Head',
        in_channels=2048,
        in_index=3,
        dilations=(6, 12, 18, 24),
        align_corners=False,
        loss_decode=seg_loss),
    auxiliary_head=dict(
        type='DeepLabV2Head',
        in_channels=1024,
        in_index=2,
        dilations=(6, 12, 18, 24),
        align_corners=False,
        loss_decode=dict(seg_loss, loss_weight=0.1)),
    # 5 convs k4 s2: C -> 64 -> 128 -> 256 -> 512 -> 1, LeakyReLU 0.2, no
    # norm. Each judges a softmax output (DomainOutputInput, which derives
    # in_channels = num_classes): source "real", target "fake", both resized
    # to the input size.
    discriminators=dict(
        aux=dict(
            type='ConvDiscriminator',
            inputs=dict(type='DomainOutputInput', resize_to_input=True),
            output='aux',
            num_convs=5,
            base_channels=64,
            max_channels=512,
            norm_cfg=None,
            loss_weight=0.0002),
        main=dict(
            type='ConvDiscriminator',
            inputs=dict(type='DomainOutputInput', resize_to_input=True),
            output='high',
            num_convs=5,
            base_channels=64,
            max_channels=512,
            norm_cfg=None,
            loss_weight=0.001)),
    gan_loss=dict(type='GANLoss', loss_type='vanilla'),
    # G and D gradients are taken before any step (authors' loop).
    update_order='simultaneous',
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
