# LIP (Look Into Person): 20 classes, 30,462 train / 10,000 val images, the
# MMAN recipe of human_parsing.py (left/right labels swapped in flips).
# Layout (mmseg's LIPDataset, its files checked when built: CheckedLIPDataset;
# make it with tools/dataset_converters/lip.py):
#   data/LIP/{train_images,val_images}/*.jpg
#   data/LIP/{train_segmentations,val_segmentations}/*.png
# Paper (LIP val): MMAN 46.81 mIoU, 56.95 low-res mIoU, isolated pixel rate
# 2.47 (the three metrics of val_evaluator).
_base_ = ['./human_parsing.py']
dataset_type = 'CheckedLIPDataset'
data_root = 'data/LIP'
num_classes = _base_.human_parsing.lip.num_classes
flip_pairs = _base_.human_parsing.lip.flip_pairs
crop_size = _base_.human_parsing.lip.crop_size
train_pipeline = _base_.human_parsing.lip.train
test_pipeline = _base_.human_parsing.lip.test
tta_pipeline = _base_.human_parsing.lip.tta
train_dataloader = dict(
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(img_path='train_images', seg_map_path='train_segmentations'),
        pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(img_path='val_images', seg_map_path='val_segmentations'),
        pipeline=test_pipeline))
test_dataloader = val_dataloader
