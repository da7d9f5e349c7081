# SeeNet's solver was never released; this is the nearest known one, the
# same lab's OAA: SGD lr 1e-3, momentum 0.9, weight decay 2e-4, head lr x10,
# bias lr x2 without decay, x0.1 at 20k of 30k iterations, batch 1 with
# iter_size 5 (accumulative_counts), short side 224 and random flip.
max_iters = 30000
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=1e-3, momentum=0.9, weight_decay=2e-4),
    accumulative_counts=5,
    paramwise_cfg=dict(
        custom_keys=dict(decode_head=dict(lr_mult=10.0)), bias_lr_mult=2.0, bias_decay_mult=0.0))
param_scheduler = [dict(type='MultiStepLR', by_epoch=False, milestones=[20000], gamma=0.1)]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=max_iters)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='SafeCheckpointHook', by_epoch=False, interval=5000, max_keep_ckpts=1),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='SegVisualizationHook'))
