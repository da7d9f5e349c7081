# MMAN on LIP with a ViT-B/16 generator backbone and mmseg's MultiLevelNeck, as
# mmseg's UperNet ViT configs use it: four stride-16 transformer outputs
# rescaled x4, x2, x1, x0.5 to strides 4, 8, 16, 32. The weights are mmseg's
# converted ViT-B/16 (pretrain/jx_vit_base_p16_224-80ecf9dd.pth, see mmseg's
# vit configs for the conversion).
_base_ = './mman_r50-d16_1xb1-30e_lip-256x256.py'
model = dict(
    data_preprocessor=dict(test_cfg=dict(size_divisor=32)),
    pretrained='pretrain/jx_vit_base_p16_224-80ecf9dd.pth',
    backbone=dict(
        _delete_=True,
        type='VisionTransformer',
        img_size=(256, 256),
        patch_size=16,
        in_channels=3,
        embed_dims=768,
        num_layers=12,
        num_heads=12,
        mlp_ratio=4,
        out_indices=(2, 5, 8, 11),
        qkv_bias=True,
        drop_rate=0.0,
        attn_drop_rate=0.0,
        drop_path_rate=0.1,
        with_cls_token=True,
        norm_cfg=dict(type='LN', eps=1e-6),
        act_cfg=dict(type='GELU'),
        norm_eval=False,
        interpolate_mode='bicubic'),
    neck=dict(
        type='MultiLevelNeck', in_channels=[768, 768, 768, 768], out_channels=768, scales=[4, 2, 1, 0.5]),
    decode_head=dict(in_channels=[768, 768, 768, 768], in_index=[0, 1, 2, 3], final_upsample_channels=None))
