from .seg_gan_optim_wrapper_constructor import SegGANOptimWrapperConstructor

__all__ = ['SegGANOptimWrapperConstructor']
