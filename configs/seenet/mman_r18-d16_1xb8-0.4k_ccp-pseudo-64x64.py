# Stage 3 of the semi-supervised CCP pipeline at CPU scale (README, "Weak
# supervision"): the CCP MMAN of configs/benchmarks/mman_r18-d16_1xb8-0.4k_ccp-64x64.py
# (the comparison: same model, schedule, crops, val set and seeds) trained on
# the 643 pixel-labelled train photos plus CCP's 1,094 tag-only photos with the
# pseudo labels that seenet-parser-sal_r18-d8_1xb8-1k_ccp-tags-64x96.py wrote
# (tools/test.py --out PSEUDO_LABELS; 255 = ignored). Validation: CCP val.
#   CCP_ROOT=path/to/clothing-co-parsing CCP_DATA=data/ccp PSEUDO_LABELS=work_dirs/ccp_pseudo_labels \
#   python tools/train.py configs/seenet/mman_r18-d16_1xb8-0.4k_ccp-pseudo-64x64.py
_base_ = '../benchmarks/mman_r18-d16_1xb8-0.4k_ccp-64x64.py'
from os.path import abspath  # noqa: E402

from mmseg_mman.datasets.recipe import split_dataset  # noqa: E402

ccp_data = '{{$CCP_DATA:data/ccp}}'
ccp_root = '{{$CCP_ROOT:data/clothing-co-parsing}}'
# absolute: mmengine would put a relative label folder under the photos' data_root
pseudo_labels = abspath('{{$PSEUDO_LABELS:work_dirs/ccp_pseudo_labels}}')
pixel_labelled = split_dataset(_base_.dataset_type, ccp_data, 'train', _base_.train_pipeline)
pseudo_labelled = dict(
    type=_base_.dataset_type,
    data_root=ccp_root,
    ann_file='ids_image_level.txt',
    data_prefix=dict(img_path='photos', seg_map_path=pseudo_labels),
    pipeline=_base_.train_pipeline)
train_dataloader = dict(
    dataset=dict(_delete_=True, type='ConcatDataset', datasets=[pixel_labelled, pseudo_labelled]))
val_dataloader = dict(dataset=dict(data_root=ccp_data))
test_dataloader = val_dataloader
