from .domain_adaptation_data_preprocessor import DomainAdaptationDataPreProcessor

__all__ = ['DomainAdaptationDataPreProcessor']
