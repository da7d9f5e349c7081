import torch
import torch.nn as nn
import torch.nn.functional as F
from mmseg.registry import MODELS
from torch import Tensor

LOSS_TYPES = ('vanilla', 'lsgan', 'hinge')
GENERATOR_LOSSES = ('non_saturating', 'minimax')


@MODELS.register_module()
class GANLoss(nn.Module):
    """Adversarial loss on raw discriminator scores.

    - ``vanilla``: the log loss of MMAN's objective (Luo et al. ECCV 2018, Eq. 3), as binary
      cross-entropy on logits. The generator's term is the non-saturating form -log D(x, G(x))
      (``generator_loss='non_saturating'``, default) or the minimax form log(1 - D(x, G(x))) =
      -bce(D(x, G(x)), 0) (``'minimax'``: Eq. 3 as written, and the adversarial term of Luc et
      al. 2016's hybrid loss, §3.1), whose gradient vanishes where D is sure the map is fake.
    - ``lsgan``: least squares (Mao et al. 2017), what the authors' MMAN code uses.
    - ``hinge``: hinge loss for the discriminator, -D(x, G(x)) for the generator.

    Every loss is averaged over all scores, so a PatchGAN's per-patch responses are averaged.

    Shapes:
        in: scores of any shape (e.g. (N, 1, h, w)).
        out: a scalar.
    """

    def __init__(self, loss_type: str = 'vanilla', generator_loss: str = 'non_saturating') -> None:
        super().__init__()
        if loss_type not in LOSS_TYPES:
            raise ValueError(f'GANLoss: loss_type={loss_type!r} is not one of {LOSS_TYPES}')
        if generator_loss not in GENERATOR_LOSSES:
            raise ValueError(f'GANLoss: generator_loss={generator_loss!r} is not one of {GENERATOR_LOSSES}')
        if generator_loss == 'minimax' and loss_type != 'vanilla':
            raise ValueError(f"GANLoss: generator_loss='minimax' is the log loss's; loss_type={loss_type!r} "
                             "has no minimax form here (use loss_type='vanilla')")
        self.loss_type = loss_type
        self.generator_loss = generator_loss

    def forward(self, scores: Tensor, target_is_real: bool, for_discriminator: bool) -> Tensor:
        """Loss pushing ``scores`` towards "real" (``target_is_real``) or "fake"."""
        if self.loss_type == 'hinge':
            if not for_discriminator:
                return -scores.mean()
            sign = -1.0 if target_is_real else 1.0
            return F.relu(1.0 + sign * scores).mean()
        if not for_discriminator and self.generator_loss == 'minimax':
            return -F.binary_cross_entropy_with_logits(scores, torch.zeros_like(scores))
        target = torch.full_like(scores, 1.0 if target_is_real else 0.0)
        if self.loss_type == 'vanilla':
            return F.binary_cross_entropy_with_logits(scores, target)
        return F.mse_loss(scores, target)

    def score(self, scores: Tensor) -> Tensor:
        """Mean of the scores as the discriminator means them (a probability for ``vanilla``)."""
        return (scores.sigmoid() if self.loss_type == 'vanilla' else scores).mean()
