# ASN (Luc et al. 2016) on Pascal VOC 2012 (mmseg's augmented train set, val
# for testing), the second benchmark of their §4: the LargeFOV discriminator on
# the product encoding, minimax adversarial term. Data pipeline, crop and batch
# are mmseg's VOC recipe (configs/_base_/datasets/pascal_voc12_aug.py of mmseg),
# not Luc et al.'s; the generator is ResNet-101-d8 + a LargeFOV-rate classifier
# instead of their DeepLab-LargeFOV (VGG-16). Luc et al. compare the
# encodings and the LargeFOV / SmallFOV discriminators in their Pascal VOC
# results table: switch with
#   --cfg-options model.discriminators.asn.inputs.type=ScalingLabelMapInput
#   --cfg-options model.discriminators.asn.field_of_view=small
_base_ = [
    '../_base_/models/asn_r50-d8.py', 'mmseg::_base_/datasets/pascal_voc12_aug.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_20k.py'
]
num_classes = 21
crop_size = (512, 512)
model = dict(
    data_preprocessor=dict(size=crop_size),
    pretrained='open-mmlab://resnet101_v1c',
    backbone=dict(depth=101),
    decode_head=dict(num_classes=num_classes))
