from .mman_head import MMANHead

__all__ = ['MMANHead']
