# LIP -> PPSS transfer (MMAN paper, Table 3): train on LIP (everything of
# lip.py), test on the PPSS test videos 101-171 without fine-tuning, merging
# the 20 predicted LIP ids into the 8 PPSS classes. The paper averages 7
# classes (no shoes): MMAN 52.1 -> key mIoU_7cls; mIoU is the 8-class mean.
# A model config inherits this file instead of lip.py.
_base_ = ['./lip.py']

ppss_data_root = 'data/PPSS'
# merge_groups[ppss_id] = the LIP ids merged into that PPSS class
lip_to_ppss_groups = [
    [0],  # 0 Background <- Background
    [1, 2],  # 1 Hair <- Hat, Hair (the paper's column "head")
    [4, 13],  # 2 Face <- Sunglasses, Face
    [5, 6, 7, 10, 11],  # 3 UpperClothes <- UpperClothes, Dress, Coat,
    # Jumpsuits, Scarf
    [3, 14, 15],  # 4 Arms <- Glove, Left-arm, Right-arm
    [9, 12],  # 5 LowerClothes <- Pants, Skirt
    [16, 17],  # 6 Legs <- Left-leg, Right-leg
    [8, 18, 19],  # 7 Shoes <- Socks, Left-shoe, Right-shoe
]
# PPSS test images through the recipe of human_parsing.py (8 PPSS labels).
ppss_test_pipeline = _base_.human_parsing.ppss.test
tta_pipeline = _base_.human_parsing.ppss.tta
val_dataloader = dict(
    batch_size=1,
    dataset=dict(
        _delete_=True,
        type='PPSSDataset',
        data_root=ppss_data_root,
        videos='test',
        pipeline=ppss_test_pipeline))
test_dataloader = val_dataloader

val_evaluator = [
    dict(type='LabelMergeIoUMetric', merge_groups=lip_to_ppss_groups, partial_mean_exclude=['Shoes']),
    dict(type='IPRMetric'),
]
test_evaluator = val_evaluator
