from .gan_loss import GANLoss

__all__ = ['GANLoss']
