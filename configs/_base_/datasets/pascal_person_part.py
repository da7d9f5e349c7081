# PASCAL-Person-Part: 7 classes, 1,716 train / 1,817 test ("val") images, the
# MMAN recipe of human_parsing.py (no left/right classes: flip without label
# swap). Paper: MMAN 58.45 mIoU on the test split.
# Layout (make it with tools/dataset_converters/pascal_person_part.py):
#   data/pascal_person_part/img_dir/{train,val}/*.jpg
#   data/pascal_person_part/ann_dir/{train,val}/*.png
_base_ = ['./human_parsing.py']
from mmseg_mman.datasets.recipe import split_dataset  # noqa: E402

dataset_type = 'PascalPersonPartDataset'
data_root = 'data/pascal_person_part'
num_classes = _base_.human_parsing.pascal_person_part.num_classes
flip_pairs = _base_.human_parsing.pascal_person_part.flip_pairs
crop_size = _base_.human_parsing.pascal_person_part.crop_size
train_pipeline = _base_.human_parsing.pascal_person_part.train
test_pipeline = _base_.human_parsing.pascal_person_part.test
tta_pipeline = _base_.human_parsing.pascal_person_part.tta
train_dataloader = dict(dataset=split_dataset(dataset_type, data_root, 'train', train_pipeline))
val_dataloader = dict(dataset=split_dataset(dataset_type, data_root, 'val', test_pipeline))
test_dataloader = val_dataloader
