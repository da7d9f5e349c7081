# MMAN as the authors' public code trains it (github RoyalVane/MMAN), for
# comparison with the paper recipe (mman_r101_lip.py): LSGAN instead of the
# log loss, CE weights 50 (low) / 250 (high), adversarial weights 1 / 1,
# Adam beta1 0.5, discriminators stepped on ~10% of the iterations, no dropout.
# The code also detaches the low-res map before Macro D in the generator step,
# so the Macro term never reaches G. That defect is NOT reproduced here:
# set model.discriminators.macro.grad_to_generator=False to reproduce it.
# Other differences of that code (init N(0, 0.01), two generator passes per
# iteration, square resizing, test scales {0.75, 1, 1.25}) are not copied.
_base_ = './mman_r101-d16_1xb1-30e_lip-256x256.py'
model = dict(
    decode_head=dict(
        decoder_dropout_ratio=0.0,
        dropout_ratio=0.0,
        loss_low=dict(loss_weight=50.0),
        loss_decode=dict(loss_weight=250.0)),
    discriminators=dict(macro=dict(loss_weight=1.0, grad_to_generator=True), micro=dict(loss_weight=1.0)),
    gan_loss=dict(loss_type='lsgan'),
    disc_update_prob=0.1)
optim_wrapper = dict(
    generator=dict(optimizer=dict(betas=(0.5, 0.999))),
    discriminator=dict(optimizer=dict(betas=(0.5, 0.999))))
