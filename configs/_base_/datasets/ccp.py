# Clothing Co-Parsing on 8 coarse classes (see mmseg_mman.datasets.CCPDataset
# for the 59 -> 8 label table). Real street-fashion photos for local
# experiments; not a benchmark of the MMAN paper.
# Layout (make it with tools/dataset_converters/ccp.py, seeded 80/20 split):
#   data/ccp/img_dir/{train,val}/NNNN.jpg
#   data/ccp/ann_dir/{train,val}/NNNN.png
# Photos are 550 px wide, ~830 px tall; the MMAN recipe of human_parsing.py
# (flip without label swap: CCP has no left/right).
_base_ = ['./human_parsing.py']
from mmseg_mman.datasets.recipe import split_dataset  # noqa: E402

dataset_type = 'CCPDataset'
data_root = 'data/ccp'
num_classes = _base_.human_parsing.ccp.num_classes
flip_pairs = _base_.human_parsing.ccp.flip_pairs
crop_size = _base_.human_parsing.ccp.crop_size
train_pipeline = _base_.human_parsing.ccp.train
test_pipeline = _base_.human_parsing.ccp.test
train_dataloader = dict(
    num_workers=2, dataset=split_dataset(dataset_type, data_root, 'train', train_pipeline))
val_dataloader = dict(num_workers=2, dataset=split_dataset(dataset_type, data_root, 'val', test_pipeline))
test_dataloader = val_dataloader
