# CIHP (Crowd Instance-level Human Parsing): 20 classes in CIHP's order (LIP's,
# but id 10 is Torso-skin), 28,280 train / 5,000 val images of several people,
# the MMAN recipe of human_parsing.py (left/right labels (14, 15), (16, 17),
# (18, 19) swapped in flips).
# Layout (make it with tools/dataset_converters/cihp.py):
#   data/CIHP/img_dir/{train,val}/*.jpg
#   data/CIHP/ann_dir/{train,val}/*.png
_base_ = ['./human_parsing.py']
from mmseg_mman.datasets.recipe import split_dataset  # noqa: E402

dataset_type = 'CIHPDataset'
data_root = 'data/CIHP'
num_classes = _base_.human_parsing.cihp.num_classes
flip_pairs = _base_.human_parsing.cihp.flip_pairs
crop_size = _base_.human_parsing.cihp.crop_size
train_pipeline = _base_.human_parsing.cihp.train
test_pipeline = _base_.human_parsing.cihp.test
tta_pipeline = _base_.human_parsing.cihp.tta
train_dataloader = dict(dataset=split_dataset(dataset_type, data_root, 'train', train_pipeline))
val_dataloader = dict(dataset=split_dataset(dataset_type, data_root, 'val', test_pipeline))
test_dataloader = val_dataloader
