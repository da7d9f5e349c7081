# MMAN on the Clothing Co-Parsing photos (8 coarse classes) at the size of the
# CPU demo, for tools/benchmarks/quality.py: ResNetV1c-18 from scratch, the
# demo's narrow MMANHead and discriminators, Adam 1e-3, batch 8. The photos
# (550 x ~830) are resized to a shorter side of 72 (72 x ~109), as the
# synthetic data, with random 64x64 crops and flips (CCP has no left/right).
# Make the data: python tools/dataset_converters/ccp.py <ccp root> -o data/ccp
_base_ = '../demo/mman_r18-d16_1xb8-0.4k_synthetic-lip-64x64.py'
from mmseg_mman.datasets.recipe import split_dataset  # noqa: E402

dataset_type = 'CCPDataset'
data_root = 'data/ccp'
num_classes = _base_.human_parsing.ccp_64x64.num_classes
flip_pairs = _base_.human_parsing.ccp_64x64.flip_pairs
crop_size = _base_.human_parsing.ccp_64x64.crop_size
train_pipeline = _base_.human_parsing.ccp_64x64.train
test_pipeline = _base_.human_parsing.ccp_64x64.test
tta_pipeline = _base_.human_parsing.ccp_64x64.tta
train_dataloader = dict(dataset=split_dataset(dataset_type, data_root, 'train', train_pipeline))
val_dataloader = dict(dataset=split_dataset(dataset_type, data_root, 'val', test_pipeline))
test_dataloader = val_dataloader
model = dict(decode_head=dict(num_classes=num_classes), test_cfg=dict(flip_pairs=flip_pairs))
