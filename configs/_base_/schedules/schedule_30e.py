# MMAN's LIP schedule (paper §4.2): Adam with lr 2e-4, betas (0.9, 0.999) and
# weight decay 1e-4 for the generator and the discriminators, batch size 1,
# 30 epochs with lr /10 after 15. Epoch-based: the runner takes the epoch
# length from the train dataloader (len(dataset) / batch size per process),
# so no dataset size is written here; convert_to_iter_based=True steps the lr
# schedule per iteration (milestone = 15 x iterations per epoch). A checkpoint
# at the end of every epoch makes --resume exact (the next epoch restarts with
# the sampler seeded for it) without replaying the data already seen.
optimizer = dict(type='Adam', lr=2e-4, betas=(0.9, 0.999), weight_decay=1e-4)
# Two optimizers: G = backbone + decode head, D = model.discriminators.
# Replaces (does not merge with) mmseg's single-optimizer optim_wrapper: a
# config that also inherits an mmseg schedule must use _delete_=True.
optim_wrapper = dict(
    constructor='SegGANOptimWrapperConstructor',
    generator=dict(type='OptimWrapper', optimizer=dict(optimizer)),
    discriminator=dict(type='OptimWrapper', optimizer=dict(optimizer)))
num_epochs = 30
lr_drop_epoch = 15
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=num_epochs, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
lr_schedule = [
    dict(
        type='MultiStepLR',
        by_epoch=True,
        begin=0,
        end=num_epochs,
        milestones=[lr_drop_epoch],
        gamma=0.1,
        convert_to_iter_based=True)
]
# One scheduler list per optimizer, keyed like optim_wrapper.
param_scheduler = dict(generator=lr_schedule, discriminator=lr_schedule)
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(
        type='SafeCheckpointHook',
        by_epoch=True,
        interval=1,
        max_keep_ckpts=2,
        save_best='mIoU',
        rule='greater'),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='SegVisualizationHook'))
