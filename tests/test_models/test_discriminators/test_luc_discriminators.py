"""The adversarial networks of Luc et al. 2016: LargeFOV / SmallFOV (FOVDiscriminator) and the Stanford
Background two-branch network (StanfordBackgroundDiscriminator)."""
import pytest
import torch
from conftest import GAN_OPTIM_WRAPPER, NUM_CLASSES, make_batch, tiny_model_cfg
from mmengine.logging import MessageHub
from mmengine.optim import build_optim_wrapper
from mmseg.registry import MODELS

from mmseg_mman.models.discriminators.fov_discriminator import PAPER_RECEPTIVE_FIELDS


def build(type_, in_channels=7, **kwargs):
    d = MODELS.build(dict(type=type_, in_channels=in_channels, **kwargs))
    d.init_weights()
    return d.eval()


def num_params(d):
    return sum(p.numel() for p in d.parameters())


def make_positive(d, seed=0):
    """Random positive weights (scaled by fan-in) and zero biases: every ReLU is active for a positive
    input, so a pixel gets gradient exactly when it lies in the field of view of the probed score."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in d.modules():
            if isinstance(m, torch.nn.Conv2d):
                fan_in = m.weight[0].numel()
                m.weight.copy_((0.5 + torch.rand(m.weight.shape, generator=gen)) / fan_in)
                m.bias.zero_()
    return d


def input_gradient(d, x, index):
    """|d score[index] / d x| summed over the batch: (N, C, H, W) -> (C, H, W)."""
    x = x.clone().requires_grad_(True)
    scores = d(x)
    scores[(slice(None), ) + index].sum().backward()
    return x.grad.abs().sum(dim=0)


def extent(grad):
    """(rows, cols) spanned by the non-zero entries of a (H, W) gradient."""
    rows, cols = grad.nonzero(as_tuple=True)
    return int(rows.max() - rows.min() + 1), int(cols.max() - cols.min() + 1)


def measured_field(d, channels, size=64, index=(0, 8, 8), batch=16):
    """Field of view of score ``index`` measured on the input: each max pooling passes gradient to one
    pixel of its window, so the union over a batch of random positive inputs covers the whole field."""
    x = 0.1 + torch.rand(batch, channels, size, size, generator=torch.Generator().manual_seed(1))
    return input_gradient(make_positive(d), x, index)


# --------------------------------------------------------------------------------- LargeFOV / SmallFOV


@pytest.mark.parametrize('fov, paper_field', sorted(PAPER_RECEPTIVE_FIELDS.items()))
def test_fov_receptive_field_is_the_papers(fov, paper_field):
    d = build('FOVDiscriminator', field_of_view=fov, global_score=False)
    assert d.receptive_field == {'large': 34, 'small': 18}[fov] == paper_field
    grad = measured_field(d, 7).sum(dim=0)
    assert extent(grad) == (paper_field, paper_field)


@pytest.mark.parametrize('fov', ['large', 'small'])
def test_fov_field_does_not_depend_on_widths(fov):
    light = dict(large=(96, 128, 128, 128, 128, 256), small=(96, 128, 128, 128, 256))[fov]
    d = build('FOVDiscriminator', field_of_view=fov, channels=light, global_score=False)
    assert d.receptive_field == PAPER_RECEPTIVE_FIELDS[fov]
    narrow = build('FOVDiscriminator', field_of_view=fov, channels=(4, ) * len(light), global_score=False)
    assert extent(measured_field(narrow, 7).sum(dim=0)) == (d.receptive_field, ) * 2


@pytest.mark.parametrize('fov', ['large', 'small'])
@pytest.mark.parametrize('size, out', [(64, 16), (33, 9), (4, 1), (1, 1)])
def test_fov_output_shapes(fov, size, out):
    d = build('FOVDiscriminator', field_of_view=fov, channels=(4, ) * (6 if fov == 'large' else 5))
    x = torch.randn(2, 7, size, size)
    assert d(x).shape == (2, 1, 1, 1)
    d.global_score = False
    assert d(x).shape == (2, 1, out, out)


def test_fov_layers_and_widths_are_the_papers():
    large = build('FOVDiscriminator', in_channels=63)
    small = build('FOVDiscriminator', in_channels=63, field_of_view='small')
    for d, kernels, widths in ((large, [3] * 7, [96, 128, 128, 256, 256, 512,
                                                 1]), (small, [3, 1] * 3, [96, 128, 256, 256, 512, 1])):
        convs = [m for m in d.layers if isinstance(m, torch.nn.Conv2d)]
        assert [c.kernel_size[0] for c in convs] == kernels
        assert [c.out_channels for c in convs] == widths
        assert sum(isinstance(m, torch.nn.MaxPool2d) for m in d.layers) == 2
        assert sum(isinstance(m, torch.nn.ReLU) for m in d.layers) == len(convs) - 1
        assert not isinstance(d.layers[-1], torch.nn.ReLU)  # raw scores
        assert not any(isinstance(m, torch.nn.modules.batchnorm._NormBase) for m in d.modules())
    # the counts in the class docstring (product encoding on Pascal VOC: 3 x 21 channels; image + 20)
    assert (num_params(large), num_params(small)) == (2382849, 1608577)
    assert num_params(build('FOVDiscriminator', in_channels=23)) == 2348289
    assert num_params(build('FOVDiscriminator', in_channels=23, field_of_view='small')) == 1574017


def test_fov_errors_are_explained():
    with pytest.raises(ValueError, match='FOVDiscriminator: in_channels is not set'):
        MODELS.build(dict(type='FOVDiscriminator'))
    with pytest.raises(ValueError, match='field_of_view must be one of'):
        build('FOVDiscriminator', field_of_view='medium')
    with pytest.raises(ValueError, match='has 5 hidden convolutions'):
        build('FOVDiscriminator', field_of_view='small', channels=(8, ) * 6)


# -------------------------------------------------------------------------------- Stanford Background


def test_stanford_layers_widths_and_param_count():
    d = build('StanfordBackgroundDiscriminator', in_channels=3 + 8)  # Stanford Background: 8 classes
    assert [(c.in_channels, c.out_channels, c.kernel_size[0]) for c in d.map_branch[::2]] == [(8, 64, 5)]
    assert [(c.in_channels, c.out_channels, c.kernel_size[0]) for c in d.image_branch[::2]] == [(3, 16, 5),
                                                                                                (16, 64, 5)]
    convs = [m for m in d.layers if isinstance(m, torch.nn.Conv2d)]
    assert [(c.in_channels, c.out_channels) for c in convs] == [(128, 128), (128, 256), (256, 512), (512, 1)]
    assert all(c.kernel_size == (3, 3) for c in convs)
    assert not isinstance(d.layers[-1], torch.nn.ReLU)
    assert num_params(d) == 1667265  # the counts in the class docstring
    assert num_params(build('StanfordBackgroundDiscriminator', in_channels=23)) == 1686465
    assert num_params(build('StanfordBackgroundDiscriminator', in_channels=20, image_channels=0)) == 1585857


@pytest.mark.parametrize('size', [1, 4, 17, 64])
def test_stanford_gives_one_score_per_image(size):
    d = build(
        'StanfordBackgroundDiscriminator', map_channels=4, image_branch_channels=(4, 4), channels=(4, 4, 4))
    assert d(torch.randn(2, 7, size, size)).shape == (2, 1, 1, 1)
    d.global_score = False
    out = -(-(-(-size // 2)) // 2)  # ceil(ceil(size / 2) / 2)
    assert d(torch.randn(2, 7, size, size)).shape == (2, 1, out, out)


def test_stanford_branches_see_their_parts():
    d = build('StanfordBackgroundDiscriminator')
    x = torch.randn(2, 7, 16, 16)
    grad = input_gradient(d, x, (0, 0, 0)).sum(dim=(1, 2))
    assert (grad > 0).all(), 'the image (channels 0-2) and the map (3-6) both reach the score'
    # each part reaches the score through its own branch only
    for branch, dead, alive in (('image_branch', slice(0, 3), slice(3, 7)), ('map_branch', slice(3, 7),
                                                                             slice(0, 3))):
        d = build('StanfordBackgroundDiscriminator')
        with torch.no_grad():
            for p in getattr(d, branch).parameters():
                p.zero_()
        grad = input_gradient(d, x, (0, 0, 0)).sum(dim=(1, 2))
        assert (grad[dead] == 0).all() and (grad[alive] > 0).all()


def test_stanford_score_map_fields():
    """Before the mean, one score sees 34x34 of the image (two 5x5 + the trunk) and 30x30 of the map."""
    d = build('StanfordBackgroundDiscriminator', global_score=False)
    grad = measured_field(d, 7)
    assert extent(grad[:3].sum(dim=0)) == (34, 34)
    assert extent(grad[3:].sum(dim=0)) == (30, 30)


def test_stanford_without_image_branch():
    d = build('StanfordBackgroundDiscriminator', in_channels=NUM_CLASSES, image_channels=0)
    assert d.image_branch is None and d.map_branch[0].in_channels == NUM_CLASSES
    assert d.layers[0].in_channels == 64
    grad = input_gradient(d, torch.randn(2, NUM_CLASSES, 16, 16), (0, 0, 0)).sum(dim=(1, 2))
    assert (grad > 0).all(), 'every channel is a map channel'


def test_stanford_errors_are_explained():
    with pytest.raises(ValueError, match='StanfordBackgroundDiscriminator: in_channels is not set'):
        MODELS.build(dict(type='StanfordBackgroundDiscriminator'))
    for in_channels in (2, 3):
        with pytest.raises(ValueError, match=r'in_channels \(\d\) must exceed image_channels \(3\)'):
            build('StanfordBackgroundDiscriminator', in_channels=in_channels)


# ------------------------------------------------------------------------------------ in the segmentor


@pytest.mark.parametrize(
    'cfg, in_channels',
    [
        (dict(type='FOVDiscriminator', output='high', channels=(8, ) * 6), 3 + NUM_CLASSES),
        (dict(type='FOVDiscriminator', output='low', field_of_view='small'), 3 + NUM_CLASSES),
        (dict(
            type='FOVDiscriminator',
            output='high',
            channels=(8, ) * 6,
            inputs=dict(type='ProductLabelMapInput')), 3 * NUM_CLASSES),  # the paper's LargeFOV-Product
        (dict(
            type='FOVDiscriminator',
            output='high',
            field_of_view='small',
            channels=(8, ) * 5,
            inputs=dict(type='ScalingLabelMapInput', image_channels=0)), NUM_CLASSES),
        (dict(
            type='StanfordBackgroundDiscriminator',
            output='high',
            map_channels=8,
            image_branch_channels=(4, 8),
            channels=(8, 8, 8)), 3 + NUM_CLASSES),
        (dict(type='StanfordBackgroundDiscriminator', output='low'), 3 + NUM_CLASSES),
        (dict(type='StanfordBackgroundDiscriminator', output='low',
              inputs=dict(type='BasicLabelMapInput')), NUM_CLASSES),
        (dict(type='StanfordBackgroundDiscriminator', output='low',
              inputs=dict(type='ProductLabelMapInput')), 3 * NUM_CLASSES),
    ])
def test_builds_and_trains_in_the_segmentor(cfg, in_channels):
    MessageHub.get_current_instance().update_info('iter', 0)
    torch.manual_seed(0)
    model = MODELS.build(tiny_model_cfg(dict(d=cfg)))
    model.init_weights()
    model.train()
    d = model.discriminators['d']
    assert d.in_channels == in_channels  # filled in from the inputs component
    before = [p.detach().clone() for p in d.parameters()]
    log_vars = model.train_step(make_batch(), build_optim_wrapper(model, GAN_OPTIM_WRAPPER))
    assert {'adv.loss_d', 'disc_d.loss_real', 'disc_d.loss_fake'} <= set(log_vars)
    assert all(torch.isfinite(torch.as_tensor(v)) for v in log_vars.values())
    assert any(not torch.equal(b, p) for b, p in zip(before, d.parameters())), 'D was updated'


@pytest.mark.parametrize('inputs, image_channels', [(dict(type='LabelMapInput'), 3),
                                                    (dict(type='BasicLabelMapInput'), 0),
                                                    (dict(type='ProductLabelMapInput'), 0),
                                                    (dict(type='ScalingLabelMapInput', image_channels=1), 1)])
def test_the_stanford_split_follows_the_input_component(inputs, image_channels):
    """The segmentor tells the two-branch network where the image ends, as it does in_channels."""
    model = MODELS.build(
        tiny_model_cfg(dict(d=dict(type='StanfordBackgroundDiscriminator', output='low', inputs=inputs))))
    assert model.discriminator_modules()['d'].image_channels == image_channels


def test_a_stanford_split_that_disagrees_with_the_input_is_rejected():
    with pytest.raises(ValueError, match=r'discriminators.d.image_channels=3 .*BasicLabelMapInput.*first 0'):
        MODELS.build(
            tiny_model_cfg(
                dict(
                    d=dict(
                        type='StanfordBackgroundDiscriminator',
                        output='low',
                        image_channels=3,
                        inputs=dict(type='BasicLabelMapInput')))))
