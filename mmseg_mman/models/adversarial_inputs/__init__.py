from .base_adversarial_input import BaseAdversarialInput, GeneratorOutputs
from .basic_label_map_input import BasicLabelMapInput
from .domain_output_input import DomainOutputInput
from .label_map_input import LabelMapInput
from .product_label_map_input import ProductLabelMapInput
from .scaling_label_map_input import ScalingLabelMapInput

__all__ = [
    'BaseAdversarialInput', 'BasicLabelMapInput', 'DomainOutputInput', 'GeneratorOutputs', 'LabelMapInput',
    'ProductLabelMapInput', 'ScalingLabelMapInput'
]
