# PPSS (Pedestrian Parsing in Surveillance Scenes): 8 classes, read from the
# original release, no conversion (mmseg_mman.datasets.PPSSDataset):
#   data/PPSS/TrainData/<video>/<frame>.jpg + <frame>_m.png  (videos 1-100)
#   data/PPSS/TestData/<video>/<frame>.jpg + <frame>_m.png   (videos 101-171)
# Masks store grey levels; LoadPPSSAnnotations decodes them and resizes a mask
# that is not the size of its image (nearest neighbour). The MMAN recipe of
# human_parsing.py; no left/right classes: flip without label swap. For the
# paper's LIP -> PPSS transfer test use lip_to_ppss.py instead.
_base_ = ['./human_parsing.py']
dataset_type = 'PPSSDataset'
data_root = 'data/PPSS'
num_classes = _base_.human_parsing.ppss.num_classes
flip_pairs = _base_.human_parsing.ppss.flip_pairs
crop_size = _base_.human_parsing.ppss.crop_size
train_pipeline = _base_.human_parsing.ppss.train
test_pipeline = _base_.human_parsing.ppss.test
train_dataloader = dict(
    num_workers=2,
    dataset=dict(type=dataset_type, data_root=data_root, videos='train', pipeline=train_pipeline))
val_dataloader = dict(
    num_workers=2,
    dataset=dict(type=dataset_type, data_root=data_root, videos='test', pipeline=test_pipeline))
test_dataloader = val_dataloader
