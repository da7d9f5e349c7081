# ATR: 18 classes, single-person fashion photos, the split of Liang et al.
# (TPAMI 2015): 16,000 train / 700 val / 1,000 test; the MMAN recipe of
# human_parsing.py (left/right labels (9, 10), (12, 13), (14, 15) swapped in
# flips: ATR's ids, not LIP's).
# Layout (make it with tools/dataset_converters/atr.py):
#   data/ATR/img_dir/{train,val,test}/*.jpg
#   data/ATR/ann_dir/{train,val,test}/*.png
_base_ = ['./human_parsing.py']
from mmseg_mman.datasets.recipe import split_dataset  # noqa: E402

dataset_type = 'ATRDataset'
data_root = 'data/ATR'
num_classes = _base_.human_parsing.atr.num_classes
flip_pairs = _base_.human_parsing.atr.flip_pairs
crop_size = _base_.human_parsing.atr.crop_size
train_pipeline = _base_.human_parsing.atr.train
test_pipeline = _base_.human_parsing.atr.test
tta_pipeline = _base_.human_parsing.atr.tta
train_dataloader = dict(dataset=split_dataset(dataset_type, data_root, 'train', train_pipeline))
val_dataloader = dict(dataset=split_dataset(dataset_type, data_root, 'val', test_pipeline))
test_dataloader = dict(dataset=split_dataset(dataset_type, data_root, 'test', test_pipeline))
