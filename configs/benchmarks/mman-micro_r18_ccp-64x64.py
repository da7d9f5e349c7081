# Micro D only (22x22 patches of the full-resolution map) on top of the
# CE-only baseline of mman_r18_ccp-64x64.py.
_base_ = './mman_r18_ccp-64x64.py'
model = dict(
    discriminators=dict(
        _delete_=True,
        micro=dict(
            type='MicroDiscriminator', output='high', base_channels=32)))
