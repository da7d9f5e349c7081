from .base_saliency_source import BaseSaliencySource
from .parser_saliency import ParserSaliency
from .saliency_from_sample import SaliencyFromSample

__all__ = ['BaseSaliencySource', 'ParserSaliency', 'SaliencyFromSample']
