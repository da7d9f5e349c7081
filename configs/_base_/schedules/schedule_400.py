# A few minutes on a laptop CPU: Adam for G and D (lr 1e-3), constant lr,
# 400 iterations, evaluation and a checkpoint at the end.
_base_ = './schedule_30e.py'
max_iters = 400
optimizer = dict(type='Adam', lr=1e-3, betas=(0.9, 0.999), weight_decay=1e-4)
optim_wrapper = dict(generator=dict(optimizer=optimizer), discriminator=dict(optimizer=optimizer))
train_cfg = dict(_delete_=True, type='IterBasedTrainLoop', max_iters=max_iters, val_interval=max_iters)
param_scheduler = []
default_hooks = dict(
    logger=dict(interval=25),
    checkpoint=dict(by_epoch=False, interval=max_iters, save_best=None, max_keep_ckpts=1))
