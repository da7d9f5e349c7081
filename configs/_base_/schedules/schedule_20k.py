# 20k iterations: the generator with mmseg's usual SGD recipe for Pascal VOC
# (lr 0.01, momentum 0.9, weight decay 5e-4, poly(0.9)), the discriminator
# with Adam (lr 1e-4, betas (0.9, 0.99)) on the same poly decay. Luc et al.'s
# own optimiser settings are not reproduced here.
max_iters = 20000
val_interval = 2000
optim_wrapper = dict(
    constructor='SegGANOptimWrapperConstructor',
    generator=dict(type='OptimWrapper', optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=5e-4)),
    discriminator=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-4, betas=(0.9, 0.99))))
poly = [dict(type='PolyLR', power=0.9, eta_min=1e-4, begin=0, end=max_iters, by_epoch=False)]
# One scheduler list per optimizer, keyed like optim_wrapper.
param_scheduler = dict(generator=poly, discriminator=poly)
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=val_interval)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(
        type='SafeCheckpointHook', by_epoch=False, interval=val_interval, max_keep_ckpts=2, save_last=True),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='SegVisualizationHook'))
