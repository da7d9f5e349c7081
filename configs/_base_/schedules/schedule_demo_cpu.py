# A few minutes on a laptop CPU: Adam for G and D, constant lr, evaluation at
# the end. The demo configs set max_iters.
_base_ = './mman_adam.py'
max_iters = 400
optimizer = dict(type='Adam', lr=1e-3, betas=(0.9, 0.999), weight_decay=1e-4)
optim_wrapper = dict(
    generator=dict(optimizer=optimizer), discriminator=dict(optimizer=optimizer))
train_cfg = dict(
    type='IterBasedTrainLoop', max_iters=max_iters, val_interval=max_iters)
param_scheduler = []
default_hooks = dict(
    logger=dict(interval=25),
    checkpoint=dict(interval=max_iters, save_best=None, max_keep_ckpts=1))
