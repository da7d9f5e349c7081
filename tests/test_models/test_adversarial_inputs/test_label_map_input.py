import torch
from mmengine.structures import PixelData
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

from mmseg_mman.models.adversarial_inputs import GeneratorOutputs

NUM_CLASSES = 4


def samples(labels):
    return [SegDataSample(gt_sem_seg=PixelData(data=label[None])) for label in labels]


def generated(inputs, labels, logits):
    return GeneratorOutputs(inputs=inputs, outputs=dict(low=logits), data_samples=samples(labels))


def test_real_is_one_hot_and_fake_is_softmax_beside_the_image_with_ignored_pixels_zeroed():
    inputs = torch.randn(2, 3, 16, 16)
    labels = torch.randint(0, NUM_CLASSES, (2, 16, 16))
    labels[0, :8, :8] = 255
    logits = torch.randn(2, NUM_CLASSES, 4, 4, requires_grad=True)
    real, fake = MODELS.build(dict(type='LabelMapInput')).real_and_fake(
        generated(inputs, labels, logits), 'low')
    assert real.shape == fake.shape == (2, 3 + NUM_CLASSES, 4, 4)
    assert torch.equal(real[:, :3], fake[:, :3])
    ignored = labels[:, ::4, ::4] == 255  # the nearest-sampled label map
    assert ignored[0, :2, :2].all() and ignored.sum() == 4
    for maps in (real[:, 3:], fake[:, 3:]):
        assert maps.permute(0, 2, 3, 1)[ignored].abs().sum() == 0
        torch.testing.assert_close(maps.sum(1)[~ignored], torch.ones(int((~ignored).sum())))
    assert set(real[:, 3:].unique().tolist()) == {0.0, 1.0}
    assert torch.equal(real[:, 3:].argmax(1)[~ignored], labels[:, ::4, ::4][~ignored])
    fake.sum().backward()  # fake carries the generator's gradient
    assert logits.grad is not None


def test_image_and_labels_are_sampled_at_the_same_positions():
    """Each cell of D's input holds the image pixel the cell's label came from."""
    columns = torch.arange(64).expand(1, 64, 64)
    labels = columns % NUM_CLASSES
    inputs = columns[:, None].float().expand(1, 3, 64, 64)  # every channel holds its column index
    real, _ = MODELS.build(dict(type='LabelMapInput')).real_and_fake(
        generated(inputs, labels, torch.zeros(1, NUM_CLASSES, 4, 4)), 'low')
    sampled_columns = real[0, 0].long()
    assert torch.equal(real[0, 3:].argmax(0), sampled_columns % NUM_CLASSES)


def test_channels_and_shapes_are_derived():
    label_map = MODELS.build(dict(type='LabelMapInput', image_channels=1))
    assert label_map.in_channels(NUM_CLASSES) == 1 + NUM_CLASSES
    assert label_map.input_shape((2, 1, 64, 64), (2, NUM_CLASSES, 4, 4), NUM_CLASSES) == (2, 5, 4, 4)
    assert label_map.describe_channels(NUM_CLASSES).endswith('= 5')
