from contextlib import contextmanager
from typing import Any, Dict, Iterator, Optional

from mmseg.models.data_preprocessor import SegDataPreProcessor
from mmseg.registry import MODELS

TARGET_KEYS = ('target_inputs', 'target_data_samples')


@MODELS.register_module()
class DomainAdaptationDataPreProcessor(SegDataPreProcessor):
    """:class:`SegDataPreProcessor` for batches of two domains (unsupervised domain adaptation).

    mmseg's pre-processor keeps only ``inputs`` and ``data_samples`` and silently drops any other key;
    this one also converts, normalises, pads and stacks the target images of a training batch made by
    :class:`DomainAdaptationDataset`, with the same mean, std and colour conversion. Target images are
    padded to ``target_size`` (or ``target_size_divisor``), since the two domains usually come at
    different resolutions (AdaptSegNet: GTA5 at 1280x720, Cityscapes at 1024x512); when neither is
    given the source settings apply. Batches without target keys (validation, testing, source-only
    training) are processed exactly as by :class:`SegDataPreProcessor`.

    Args:
        target_size (tuple, optional): Fixed (H, W) padding size of the target images.
        target_size_divisor (int, optional): Pad the target images to a multiple of this instead.
        **kwargs: :class:`SegDataPreProcessor` arguments (``mean``, ``std``, ``bgr_to_rgb``,
            ``size``, ``pad_val``, ``seg_pad_val``, ...).

    Shapes:
        in: ``inputs``/``target_inputs``: lists of (3, H_i, W_i) uint8 images; ``data_samples``/
            ``target_data_samples``: lists of :class:`SegDataSample`.
        out: ``inputs`` (N, 3, H, W), ``data_samples``; in training also ``target_inputs``
            (M, 3, H_t, W_t) and ``target_data_samples`` (with padding metainfo).
    """

    def __init__(self,
                 target_size: Optional[tuple] = None,
                 target_size_divisor: Optional[int] = None,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        if target_size is not None and target_size_divisor is not None:
            raise ValueError('DomainAdaptationDataPreProcessor: set target_size or target_size_divisor, '
                             f'not both (got {target_size} and {target_size_divisor})')
        self.target_size = target_size
        self.target_size_divisor = target_size_divisor

    def forward(self, data: dict, training: bool = False) -> Dict[str, Any]:
        """Prepare the source batch as mmseg does, then in training the target batch if present."""
        present = [key for key in TARGET_KEYS if key in data]
        if len(present) == 1:
            raise KeyError(
                f'DomainAdaptationDataPreProcessor: the batch has {present[0]} but not '
                f'{(set(TARGET_KEYS) - set(present)).pop()}; both come from DomainAdaptationDataset')
        source = super().forward(dict(inputs=data['inputs'], data_samples=data.get('data_samples')), training)
        if not training or not present:
            return source
        with self._target_padding():
            target = super().forward(
                dict(inputs=data['target_inputs'], data_samples=data['target_data_samples']), training)
        return dict(source, target_inputs=target['inputs'], target_data_samples=target['data_samples'])

    @contextmanager
    def _target_padding(self) -> Iterator[None]:
        """Pad with the target settings while the target batch goes through the parent's forward."""
        if self.target_size is None and self.target_size_divisor is None:
            yield
            return
        saved = self.size, self.size_divisor
        self.size, self.size_divisor = self.target_size, self.target_size_divisor
        try:
            yield
        finally:
            self.size, self.size_divisor = saved
