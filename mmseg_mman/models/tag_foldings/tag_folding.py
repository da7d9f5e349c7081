from typing import Sequence, Tuple

import torch
from mmseg.registry import MODELS
from torch import Tensor


@MODELS.register_module()
class TagFolding:
    """Folds a tag classifier's vocabulary into the parsing classes: the attention of a class is the
    maximum of its tags' attention, A_C = max_{c -> C} A_c, and a tag becomes its class.

    A classifier can learn its attention in a vocabulary finer than the classes it labels (CCP: the 58
    garment tags of ``label_list.txt``, where the 7 coarse tags are present in nearly every photo); the
    pseudo-label rule, its ignore rules and the attention metrics then work in the parsing classes, so
    that two garments of one class (shirt, blazer) never count as a conflict. The maximum keeps each
    pixel's strongest garment: the attention stays in [0, 1] and a folded class is as attended as its
    best tag.

    Args:
        lut (Sequence[int]): ``lut[c]`` = parsing class of vocabulary class ``c`` (0 = background;
            ``lut[0]`` must be 0). A foreground tag folded to 0 is dropped with its attention.

    Shapes:
        in: attention (K, H, W) of the vocabulary's foreground classes 1..K (K = len(lut) - 1), tags
        (ids 1..K).
        out: attention (num_classes - 1, H, W) of the parsing classes 1..num_classes - 1, their tags.
    """

    def __init__(self, lut: Sequence[int]) -> None:
        lut = torch.as_tensor(list(lut), dtype=torch.long)
        if lut.ndim != 1 or len(lut) < 2 or int(lut[0]) != 0 or bool((lut < 0).any()):
            raise ValueError(f'{type(self).__name__}: lut must map class 0 to 0 and every class to an id '
                             f'>= 0, got {lut.tolist()}')
        self.lut = lut
        self.num_classes = int(lut.max()) + 1

    def __call__(self, attention: Tensor, tags: Sequence[int]) -> Tuple[Tensor, Tuple[int, ...]]:
        if attention.shape[0] != len(self.lut) - 1:
            raise ValueError(f'{type(self).__name__}: attention has {attention.shape[0]} classes, the lut '
                             f'folds {len(self.lut) - 1}')
        bad = sorted({int(tag) for tag in tags if not 1 <= int(tag) < len(self.lut)})
        if bad:
            raise ValueError(
                f'{type(self).__name__}: tag(s) {bad} are not vocabulary classes 1..{len(self.lut) - 1}')
        target = self.lut[1:].to(attention.device)
        folded = attention.new_zeros((self.num_classes - 1, *attention.shape[1:]))
        for cls in range(1, self.num_classes):
            members = target == cls
            if members.any():
                folded[cls - 1] = attention[members].amax(dim=0)
        folded_tags = {int(self.lut[int(tag)]) for tag in tags} - {0}
        return folded, tuple(sorted(folded_tags))
