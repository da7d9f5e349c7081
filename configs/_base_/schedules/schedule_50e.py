# MMAN's PASCAL-Person-Part schedule (paper §4.2): the LIP schedule
# (schedule_30e.py) for 50 epochs, lr /10 after 25.
_base_ = './schedule_30e.py'
num_epochs = 50
lr_drop_epoch = 25
train_cfg = dict(max_epochs=num_epochs)
lr_schedule = [dict(_base_.lr_schedule[0], end=num_epochs, milestones=[lr_drop_epoch])]
param_scheduler = dict(generator=lr_schedule, discriminator=lr_schedule)
