from .base_pseudo_label_rule import BasePseudoLabelRule
from .harmonic_mean_rule import HarmonicMeanRule
from .threshold_rule import ThresholdRule

__all__ = ['BasePseudoLabelRule', 'HarmonicMeanRule', 'ThresholdRule']
