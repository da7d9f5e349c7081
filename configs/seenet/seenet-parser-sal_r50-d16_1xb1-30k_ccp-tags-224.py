# Pseudo labels of CCP's tag-only photos by the harmonic-mean rule with the
# authors' ignore rules, the saliency being a CCP parser's foreground
# probability (_base_/models/seenet_parser_saliency.py), e.g. of
# configs/mman/mman_r101-d16_1xb1-50e_ccp-256x256.py:
#   CCP_ROOT=... PARSER_CONFIG=path/to/parser_config.py PARSER_CHECKPOINT=path/to/parser.pth \
#   python tools/test.py configs/seenet/seenet-parser-sal_r50-d16_1xb1-30k_ccp-tags-224.py \
#       path/to/seenet.pth --out work_dirs/ccp_pseudo_labels_parser_sal
_base_ = ['./seenet_r50-d16_1xb1-30k_ccp-tags-224.py', '../_base_/models/seenet_parser_saliency.py']
model = dict(label_rule=_base_.parser_saliency_rule, saliency_source=_base_.parser_saliency_source)
