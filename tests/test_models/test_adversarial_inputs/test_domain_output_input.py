import pytest
import torch
from mmseg.registry import MODELS

from mmseg_mman.models.adversarial_inputs import GeneratorOutputs

NUM_CLASSES = 5


def generated(with_target=True):
    return GeneratorOutputs(
        inputs=torch.zeros(2, 3, 32, 32),
        outputs=dict(high=torch.randn(2, NUM_CLASSES, 4, 4)),
        data_samples=[],
        target_inputs=torch.zeros(3, 3, 24, 40) if with_target else None,
        target_outputs=dict(high=torch.randn(3, NUM_CLASSES, 3, 5)) if with_target else None)


@pytest.mark.parametrize('resize_to_input, real_size, fake_size', [(True, (32, 32), (24, 40)),
                                                                   (False, (4, 4), (3, 5))])
def test_source_softmax_is_real_and_target_softmax_is_fake(resize_to_input, real_size, fake_size):
    domain = MODELS.build(dict(type='DomainOutputInput', resize_to_input=resize_to_input))
    assert domain.needs_target_domain and domain.in_channels(NUM_CLASSES) == NUM_CLASSES
    outputs = generated()
    real, fake = domain.real_and_fake(outputs, 'high')
    assert real.shape == (2, NUM_CLASSES, *real_size) and fake.shape == (3, NUM_CLASSES, *fake_size)
    for probabilities in (real, fake):
        torch.testing.assert_close(probabilities.sum(1), torch.ones_like(probabilities[:, 0]))
    if not resize_to_input:
        torch.testing.assert_close(fake, outputs.target_outputs['high'].softmax(1))
    assert domain.input_shape((2, 3, 32, 32), (2, NUM_CLASSES, 4, 4), NUM_CLASSES) == \
        (2, NUM_CLASSES, *real_size)


def test_a_batch_without_target_outputs_is_reported():
    with pytest.raises(KeyError, match='target-domain outputs'):
        MODELS.build(dict(type='DomainOutputInput')).real_and_fake(generated(with_target=False), 'high')
