# What MMAN's schedules share (paper §4.2): Adam with lr 2e-4, betas
# (0.9, 0.999) and weight decay 1e-4 for the generator and the
# discriminators, iteration-based loops, and the default hooks. The
# schedule_mman_*e.py files add the length, the lr drop and the intervals.
optimizer = dict(
    type='Adam', lr=2e-4, betas=(0.9, 0.999), weight_decay=1e-4)
# Two optimizers: G = backbone + decode head, D = model.discriminators.
# Replaces (does not merge with) mmseg's single-optimizer optim_wrapper: a
# config that also inherits an mmseg schedule must use _delete_=True.
optim_wrapper = dict(
    constructor='SegGANOptimWrapperConstructor',
    generator=dict(type='OptimWrapper', optimizer=dict(optimizer)),
    discriminator=dict(type='OptimWrapper', optimizer=dict(optimizer)))
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    # interval: set by the schedule_mman_*e.py files (one epoch).
    checkpoint=dict(
        type='CheckpointHook',
        by_epoch=False,
        max_keep_ckpts=2,
        save_best='mIoU',
        rule='greater'),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='SegVisualizationHook'))
