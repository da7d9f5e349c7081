import pytest
import torch
from mmseg.registry import MODELS


def build(type_, **kwargs):
    d = MODELS.build(dict(type=type_, in_channels=7, **kwargs))
    d.init_weights()
    return d.eval()


def input_gradient(d, x, index):
    x = x.clone().requires_grad_(True)
    d(x)[index].backward()
    return x.grad.abs().sum(dim=(0, 1))


def test_micro_discriminator_sees_22x22_patches():
    assert build('MicroDiscriminator').receptive_field == 22
    # InstanceNorm mixes statistics over the whole map; the convolutions alone define the field of view
    d = build('MicroDiscriminator', norm_cfg=None)
    x = torch.randn(1, 7, 64, 64)
    assert d(x).shape == (1, 1, 8, 8)
    rows, cols = input_gradient(d, x, (0, 0, 4, 4)).nonzero(as_tuple=True)
    assert rows.max() - rows.min() + 1 == 22 and cols.max() - cols.min() + 1 == 22


def test_macro_discriminator_gives_one_global_score():
    d = build('MacroDiscriminator')
    x = torch.randn(2, 7, 16, 16)
    assert d(x).shape == (2, 1, 1, 1)
    grad = input_gradient(d, x, (0, 0, 0, 0))
    assert (grad > 0).all(), 'every pixel of the map must influence the score'


@pytest.mark.parametrize('size', [2, 4, 32])
def test_macro_discriminator_handles_maps_of_any_size(size):
    assert build('MacroDiscriminator')(torch.randn(1, 7, size, size)).shape == (1, 1, 1, 1)


def test_widths_are_configurable_and_paper_size_is_small():
    small = build('MicroDiscriminator', base_channels=8)
    assert small.layers[0].out_channels == 8
    macro = MODELS.build(dict(type='MacroDiscriminator', in_channels=23))
    micro = MODELS.build(dict(type='MicroDiscriminator', in_channels=23))
    total = sum(p.numel() for d in (macro, micro) for p in d.parameters())
    assert 0.5e6 < total < 1.5e6  # paper Table 5: about 1.2M for both


def test_adaptsegnet_discriminator_is_a_configuration():
    d = build('ConvDiscriminator', num_convs=5, norm_cfg=None)
    convs = [m for m in d.layers if isinstance(m, torch.nn.Conv2d)]
    assert [c.out_channels for c in convs] == [64, 128, 256, 512, 1]
    assert not any(isinstance(m, torch.nn.InstanceNorm2d) for m in d.layers)


def test_missing_in_channels_is_explained():
    with pytest.raises(ValueError, match='in_channels is not set'):
        MODELS.build(dict(type='MicroDiscriminator'))
