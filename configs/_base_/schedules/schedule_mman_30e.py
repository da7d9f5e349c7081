# LIP schedule of MMAN (paper §4.2): 30 epochs of 30,462 images at batch
# size 1, lr /10 after 15 epochs, written as iterations.
_base_ = './mman_adam.py'
num_train_images = 30462
# Images per iteration (paper: 1) = train_dataloader.batch_size x GPUs;
# change it together with the batch size to keep 30 epochs.
samples_per_iter = 1
num_epochs = 30
lr_drop_epoch = 15
val_every_epochs = 5
iters_per_epoch = -(-num_train_images // samples_per_iter)  # ceil
max_iters = num_epochs * iters_per_epoch
lr_drop_iter = lr_drop_epoch * iters_per_epoch

train_cfg = dict(
    type='IterBasedTrainLoop',
    max_iters=max_iters,
    val_interval=val_every_epochs * iters_per_epoch)
lr_schedule = [
    dict(
        type='MultiStepLR',
        by_epoch=False,
        begin=0,
        end=max_iters,
        milestones=[lr_drop_iter],
        gamma=0.1)
]
# One scheduler list per optimizer, keyed like optim_wrapper.
param_scheduler = dict(generator=lr_schedule, discriminator=lr_schedule)
default_hooks = dict(checkpoint=dict(interval=iters_per_epoch))
