# The data recipe of MMAN (Luo et al., ECCV 2018, §4.2), written once for every
# human-parsing dataset: shorter side resized to `short_side` (288), random
# `crop_size` (256x256) crop, random horizontal flip with the left/right labels
# (`flip_pairs`) swapped, no photometric augmentation; test at the shorter
# side, optional multi-scale {0.8, 1, 1.2} x flip test-time augmentation.
#
# mmengine evaluates a base before its children and never re-evaluates it with
# a child's variables, so the recipe cannot be a set of variables that each
# dataset base overrides. Instead `recipe()` is applied here, once per dataset
# (`human_parsing[<dataset>]`), and each dataset base (lip.py, ...) takes its
# entry: num_classes, flip_pairs, crop_size and the train / test / TTA
# pipelines (`unlabelled`: the train pipeline without labels, for target
# domains). A new dataset is one more line in `human_parsing`.
# custom_imports=['mmseg_mman'] (CheckSegMapValues, the metrics) comes from
# _base_/default_runtime.py (mmengine rejects a key set in two _base_ files).
# The recipe itself is mmseg_mman.datasets.recipe.human_parsing_recipe, so that
# a config-only dataset (ParsingFolderDataset) applies the same one to its own
# classes; the empty _base_ keeps this file in mmengine's classic config format
# (which every config here inherits) while it imports the recipe.
_base_ = []
from mmseg_mman.datasets.recipe import human_parsing_recipe as recipe  # noqa: E402

# Left-Right pairs of LIP: arms (14, 15), legs (16, 17), shoes (18, 19).
lip_flip_pairs = [(14, 15), (16, 17), (18, 19)]
# CIHP keeps LIP's ids for every left/right class (only id 10 differs:
# Torso-skin instead of Jumpsuits), as the release's reversed labels of the
# flipped images show (tests/test_datasets/test_cihp_atr.py).
cihp_flip_pairs = [(14, 15), (16, 17), (18, 19)]
# ATR: shoes (9, 10), legs (12, 13), arms (14, 15).
atr_flip_pairs = [(9, 10), (12, 13), (14, 15)]

human_parsing = dict(
    lip=recipe(20, lip_flip_pairs),
    cihp=recipe(20, cihp_flip_pairs),
    atr=recipe(18, atr_flip_pairs),
    pascal_person_part=recipe(7),
    # PPSS masks store grey levels: LoadPPSSAnnotations decodes them.
    ppss=recipe(8, seg_loader='LoadPPSSAnnotations'),
    ccp=recipe(8),
    # The recipe scaled down for a CPU (shorter side 72, 64x64 crops).
    synthetic_lip=recipe(20, lip_flip_pairs, crop_size=(64, 64), short_side=72, max_long_side_ratio=4),
    ccp_64x64=recipe(8, crop_size=(64, 64), short_side=72, max_long_side_ratio=4),
)

# Batch size 1 (paper §4.2). Finite, shuffled epochs: the MMAN schedules are
# epoch-based (_base_/schedules/schedule_30e.py).
train_dataloader = dict(
    batch_size=1, num_workers=4, persistent_workers=True, sampler=dict(type='DefaultSampler', shuffle=True))
val_dataloader = dict(
    batch_size=1, num_workers=4, persistent_workers=True, sampler=dict(type='DefaultSampler', shuffle=False))
test_dataloader = val_dataloader

# mIoU at the original resolution, mIoU of the low-resolution output and
# isolated pixel rate. LowResIoUMetric needs the MMAN segmentor in 'whole'
# test mode with test_cfg.low_res_prediction=True (_base_/models/mman_r50-d16.py):
# drop it when testing with --tta or slide inference.
val_evaluator = [
    dict(type='IoUMetric', iou_metrics=['mIoU']),
    dict(type='LowResIoUMetric'),
    dict(type='IPRMetric'),
]
test_evaluator = val_evaluator
