from .base_adversarial_input import BaseAdversarialInput, GeneratorOutputs
from .domain_output_input import DomainOutputInput
from .label_map_input import LabelMapInput

__all__ = ['BaseAdversarialInput', 'DomainOutputInput', 'GeneratorOutputs', 'LabelMapInput']
