# SeeNet on CCP's 1,094 tag-only photos, 8 coarse classes, OAA's solver
# (batch 1 x 5 accumulated, 30k iterations). Pseudo labels of those photos
# (saliency-free threshold rule, flip-max):
#   CCP_ROOT=path/to/clothing-co-parsing CCP_DATA=data/ccp \
#   python tools/test.py configs/seenet/seenet_r50-d16_1xb1-30k_ccp-tags-224.py \
#       work_dirs/seenet_r50-d16_1xb1-30k_ccp-tags-224/iter_30000.pth --trust-checkpoint \
#       --out work_dirs/ccp_pseudo_labels
_base_ = [
    '../_base_/models/seenet_r50-d16.py', '../_base_/datasets/ccp_tags.py', '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_seenet_30k.py'
]
model = dict(decode_head=dict(num_classes=_base_.num_classes))
# A plain classifier (no custom train_step): mmengine's default DDP wrapper.
model_wrapper_cfg = dict(_delete_=True, type='MMDistributedDataParallel', find_unused_parameters=False)
