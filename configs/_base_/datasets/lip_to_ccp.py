# Human parsing across domains: LIP (labelled source, 20 classes, everything
# of lip.py) -> Clothing Co-Parsing photos (unlabelled target). The model
# predicts LIP's 20 classes on both domains; CCP is evaluated on its 8 coarse
# classes after merging the predicted LIP ids (LabelMergeIoUMetric). Same
# recipe on both sides: shorter side 288, random 256x256 crop, random flip.
# CCP layout as in ccp.py (make it with tools/dataset_converters/ccp.py):
#   data/ccp/img_dir/{train,val}/NNNN.jpg, data/ccp/ann_dir/{train,val}/NNNN.png
_base_ = ['./lip.py']
target_root = 'data/ccp'
# merge_groups[ccp_id] = the LIP ids merged into that CCP coarse class
lip_to_ccp_groups = [
    [0],  # 0 Background <- Background
    [2],  # 1 Hair <- Hair
    [13, 14, 15, 16, 17],  # 2 Skin <- Face, arms, legs
    [5, 7],  # 3 UpperClothes <- UpperClothes, Coat
    [9, 12],  # 4 LowerClothes <- Pants, Skirt
    [6, 10],  # 5 Dress <- Dress, Jumpsuits
    [8, 18, 19],  # 6 Shoes <- Socks, shoes (CCP counts socks as footwear)
    [1, 3, 4, 11],  # 7 Accessories <- Hat, Glove, Sunglasses, Scarf
]

# The recipe of human_parsing.py on both sides (CCP: no left/right swap).
target_pipeline = _base_.human_parsing.ccp.unlabelled
ccp_test_pipeline = _base_.human_parsing.ccp.test
train_dataloader = dict(
    # AdaptSegNet's iteration-based schedule
    sampler=dict(type='InfiniteSampler'),
    dataset=dict(
        _delete_=True,
        type='DomainAdaptationDataset',
        source=_base_.train_dataloader.dataset,
        target=dict(
            type='CCPDataset',
            data_root=target_root,
            data_prefix=dict(img_path='img_dir/train'),
            pipeline=target_pipeline)))
val_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='CCPDataset',
        data_root=target_root,
        data_prefix=dict(img_path='img_dir/val', seg_map_path='ann_dir/val'),
        pipeline=ccp_test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(_delete_=True, type='LabelMergeIoUMetric', merge_groups=lip_to_ccp_groups)
test_evaluator = val_evaluator
