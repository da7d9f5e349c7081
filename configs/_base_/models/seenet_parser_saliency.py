# Pseudo labels by the harmonic-mean rule (SeeNet paper, Algorithm 1) with the
# authors' ignore rules (32/255 and 1% are OAA-PyTorch gen_gt.py's; "high
# attention" 0.8 and "low saliency" 0.5 are unpublished: our choice), the
# saliency being the foreground probability (1 - P(background)) of a parser
# trained by this project on pixel-labelled photos. The parser is named by
# PARSER_CONFIG / PARSER_CHECKPOINT (e.g. the config and checkpoint that
# tools/train.py wrote for a CCP MMAN model). Used by
# configs/seenet/*parser-sal*: model = dict(label_rule=..., saliency_source=...).
parser_saliency_rule = dict(
    _delete_=True,
    type='HarmonicMeanRule',
    conflict_thr=0.8,
    fg_min_saliency=0.5,
    bg_max_saliency=32 / 255,
    min_fg_ratio=0.01)
parser_saliency_source = dict(
    type='ParserSaliency',
    config='{{$PARSER_CONFIG:work_dirs/parser/config.py}}',
    checkpoint='{{$PARSER_CHECKPOINT:work_dirs/parser/latest.pth}}',
    background_index=0)
