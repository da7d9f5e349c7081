from typing import List

from mmseg.utils import SampleList
from torch import Tensor


class BaseSaliencySource:
    """Where :class:`SeeNet`'s pseudo-label rule gets saliency (class-agnostic foreground probability).

    Shapes:
        in: the preprocessed batch ``inputs`` (N, 3, H, W) and its data samples.
        out: one (H_ori, W_ori) map in [0, 1] per image, at its original size.
    """

    def __call__(self, inputs: Tensor, data_samples: SampleList) -> List[Tensor]:
        raise NotImplementedError

    def check_compatible(self, data_preprocessor) -> None:
        """Raise if this source cannot read inputs prepared by ``data_preprocessor`` (called at build)."""
