# seenet-parser-sal_r18-d8_1xb8-1k_ccp-tags-64x96.py for the fine-vocabulary
# classifier of seenet_r18-d8_1xb8-1k_ccp-fine-tags-64x96.py: harmonic-mean
# rule with a CCP parser's foreground probability as saliency, on the attention
# folded into the 8 coarse classes. Test = the tag-only photos (--out writes
# their coarse pseudo labels); val = the pixel-labelled val photos.
#   CCP_ROOT=... CCP_DATA=data/ccp PARSER_CONFIG=... PARSER_CHECKPOINT=... \
#   python tools/test.py configs/seenet/seenet-parser-sal_r18-d8_1xb8-1k_ccp-fine-tags-64x96.py \
#       work_dirs/seenet_r18-d8_1xb8-1k_ccp-fine-tags-64x96/iter_1000.pth --out work_dirs/ccp_pseudo_labels
_base_ = ['./seenet_r18-d8_1xb8-1k_ccp-fine-tags-64x96.py', '../_base_/models/seenet_parser_saliency.py']
model = dict(label_rule=_base_.parser_saliency_rule, saliency_source=_base_.parser_saliency_source)
test_dataloader = dict(dataset=dict(_base_.tag_only_photos, _delete_=True, pipeline=_base_.test_pipeline))
test_evaluator = dict(_delete_=True, type='PseudoLabelMetric', format_only=True)
