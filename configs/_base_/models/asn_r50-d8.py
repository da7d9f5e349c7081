# ASN, the adversarial segmentation network of Luc, Couprie, Chintala and
# Verbeek (NIPS 2016 Workshop on Adversarial Training, arXiv 1611.08408): a
# segmentation network trained with cross-entropy plus an adversarial term
# from one discriminator on its label maps (their hybrid loss, §3.1).
#
# Generator: ResNetV1c at output stride 8 with a DeepLab classifier at the
# "LargeFOV" rate (one 3x3 convolution, dilation 12, straight to the classes).
# Luc et al. use DeepLab-LargeFOV on VGG-16 for Pascal VOC; mmseg has no VGG
# backbone, so this is the closest mmseg generator, not theirs. The base, like
# mmseg's, starts from ResNet-50; the top-level configs set depth=101.
#
# Discriminator: their Pascal VOC "LargeFOV" network (FOVDiscriminator) on the
# "product" encoding (each class map times the RGB image). The generator's
# adversarial term is the minimax form of the hybrid loss,
# -lambda * bce(a(x, s(x)), 0) (GANLoss generator_loss='minimax'); lambda is
# the discriminator's loss_weight. in_channels (3 x num_classes) is derived.
# num_classes comes from the dataset (top-level configs).
norm_cfg = dict(type='BN', requires_grad=True)
data_preprocessor = dict(
    type='SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255)
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
        norm_cfg=norm_cfg,
        norm_eval=False,
        style='pytorch',
        contract_dilation=True),
    decode_head=dict(
        type='DeepLabV2Head',
        in_channels=2048,
        in_index=3,
        dilations=(12, ),
        align_corners=False,
        loss_decode=dict(type='CrossEntropyLoss', loss_weight=1.0, avg_non_ignore=True)),
    discriminators=dict(
        asn=dict(
            type='FOVDiscriminator',
            field_of_view='large',
            output='high',
            inputs=dict(type='ProductLabelMapInput'),
            loss_weight=1.0)),
    gan_loss=dict(type='GANLoss', loss_type='vanilla', generator_loss='minimax'),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
