# Runtime settings shared by every mmseg-mman config. Like mmseg's own
# default_runtime.py; the hooks whose intervals depend on the schedule
# (default_hooks, with the CheckpointHook) live in _base_/schedules/, because
# mmengine rejects a key defined in two _base_ files.
default_scope = 'mmseg'
# Registers MMANHead, AdversarialEncoderDecoder, the discriminators, the
# optimizer constructor, transforms and metrics (and installs the mmcv-ops
# fallback needed by mmcv-lite) before anything is built.
custom_imports = dict(imports=['mmseg_mman'], allow_failed_imports=False)
env_cfg = dict(
    cudnn_benchmark=True,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'),
)
vis_backends = [dict(type='LocalVisBackend')]
# mmseg's SegLocalVisualizer, also for the strided images of mmseg's browse_dataset.py.
visualizer = dict(type='ContiguousSegLocalVisualizer', vis_backends=vis_backends, name='visualizer')
log_processor = dict(by_epoch=False)
log_level = 'INFO'
load_from = None
resume = False

# The default MMDistributedDataParallel calls the model's forward, never its
# custom train_step, which would silently skip the adversarial update. This
# wrapper wraps the generator parts and the discriminators separately.
model_wrapper_cfg = dict(
    type='MMSeparateDistributedDataParallel', broadcast_buffers=False, find_unused_parameters=False)

tta_model = dict(type='SegTTAModel')

# Refuses a checkpoint of another class count before its weights are loaded (tools/test.py's
# checkpoint, load_from, --resume). To fine-tune on another label set on purpose:
#   --cfg-options custom_hooks.0.check_load_from=False
custom_hooks = [dict(type='CheckpointFitHook')]
