# AdaptSegNet's schedule (Tsai et al., CVPR 2018, §4.1, and the authors'
# code): G = SGD, lr 2.5e-4, momentum 0.9, weight decay 5e-4 (the paper's
# 1e-4 is a typo), the classifiers at 10x lr; each discriminator Adam, lr
# 1e-4, betas (0.9, 0.99). Both lrs decay as poly(0.9) over 250k iterations;
# training stops at 150k. Results swing by about +-3 mIoU between snapshots:
# the best checkpoint by mIoU is kept, and the last one.
max_iters = 150000
poly_iters = 250000
val_interval = 5000
optim_wrapper = dict(
    constructor='SegGANOptimWrapperConstructor',
    generator=dict(
        type='OptimWrapper',
        optimizer=dict(type='SGD', lr=2.5e-4, momentum=0.9, weight_decay=5e-4),
        paramwise_cfg=dict(
            custom_keys=dict(decode_head=dict(lr_mult=10.0), auxiliary_head=dict(lr_mult=10.0)))),
    discriminator=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-4, betas=(0.9, 0.99))))
poly = [dict(type='PolyLR', power=0.9, eta_min=0.0, begin=0, end=poly_iters, by_epoch=False)]
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
        type='SafeCheckpointHook',
        by_epoch=False,
        interval=val_interval,
        max_keep_ckpts=1,
        save_last=True,
        save_best='mIoU',
        rule='greater'),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='SegVisualizationHook'))
