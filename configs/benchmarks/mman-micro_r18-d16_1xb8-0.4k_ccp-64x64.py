# Micro D only (22x22 patches of the full-resolution map) on top of the
# CE-only baseline of mman_r18-d16_1xb8-0.4k_ccp-64x64.py.
_base_ = './mman_r18-d16_1xb8-0.4k_ccp-64x64.py'
model = dict(
    discriminators=dict(
        _delete_=True,
        micro=dict(
            type='MicroDiscriminator', inputs=dict(type='LabelMapInput'), output='high', base_channels=32)))
