# Pseudo labels of CCP's tag-only photos by the harmonic-mean rule (paper
# Algorithm 1) with the authors' ignore rules (32/255 and 1% are gen_gt.py's;
# "high attention" 0.8 and "low saliency" 0.5 are unpublished: our choice), the saliency being the
# foreground probability (1 - P(background)) of a parser trained by this
# project on CCP's pixel-labelled photos (e.g. configs/mman/mman_r101-d16_1xb1-50e_ccp-256x256.py):
#   CCP_ROOT=... PARSER_CONFIG=path/to/parser_config.py PARSER_CHECKPOINT=path/to/parser.pth \
#   python tools/test.py configs/seenet/seenet-parser-sal_r50-d16_1xb1-30k_ccp-tags-224.py \
#       path/to/seenet.pth --trust-checkpoint --out work_dirs/ccp_pseudo_labels_parser_sal
_base_ = './seenet_r50-d16_1xb1-30k_ccp-tags-224.py'
model = dict(
    label_rule=dict(
        _delete_=True,
        type='HarmonicMeanRule',
        conflict_thr=0.8,
        fg_min_saliency=0.5,
        bg_max_saliency=32 / 255,
        min_fg_ratio=0.01),
    saliency_source=dict(
        type='ParserSaliency',
        config='{{$PARSER_CONFIG:work_dirs/parser/config.py}}',
        checkpoint='{{$PARSER_CHECKPOINT:work_dirs/parser/latest.pth}}',
        background_index=0))
