from typing import Sequence

import torch
from mmengine.structures import PixelData
from mmseg.datasets.transforms import PackSegInputs
from mmseg.registry import TRANSFORMS

DEFAULT_META_KEYS = ('img_path', 'seg_map_path', 'ori_shape', 'img_shape', 'pad_shape', 'scale_factor',
                     'flip', 'flip_direction', 'reduce_zero_label')


@TRANSFORMS.register_module()
class PackTagInputs(PackSegInputs):
    """:class:`PackSegInputs` for weak supervision: also puts the image-level ``tags`` into the data
    sample's metainfo (where :class:`SeeNetHead` reads them) and a ``gt_saliency`` map (from
    ``LoadSaliencyMap``) into ``data_sample.gt_saliency``.

    With ``allow_seg_map=False`` (the training pipelines) a label map that reached packing is an error:
    a tag-only pipeline must never hand pixel labels to the model.

    Args:
        allow_seg_map (bool): Pack a ``gt_seg_map`` (test pipelines: it scores the pseudo labels).
        meta_keys (Sequence[str]): As PackSegInputs; ``tags`` is always added.
    """

    def __init__(self, allow_seg_map: bool = True, meta_keys: Sequence[str] = DEFAULT_META_KEYS) -> None:
        super().__init__(meta_keys=tuple(meta_keys))
        self.allow_seg_map = allow_seg_map

    def transform(self, results: dict) -> dict:
        where = results.get('img_path', '<image>')
        if 'tags' not in results:
            raise KeyError(f'{where}: PackTagInputs found no `tags`: put LoadTagsFromFile, LoadCCPTags or '
                           'TagsFromSegMap before it')
        if not self.allow_seg_map and ('gt_seg_map' in results or results.get('seg_map_path')):
            raise ValueError(f'{where}: a label map reached a tag-only pipeline (PackTagInputs with '
                             'allow_seg_map=False); remove LoadAnnotations or use TagsFromSegMap')
        packed = super().transform(results)
        sample = packed['data_samples']
        sample.set_metainfo(dict(tags=tuple(int(c) for c in results['tags'])))
        if 'gt_saliency' in results:
            sample.gt_saliency = PixelData(data=torch.from_numpy(results['gt_saliency'].copy())[None])
        return packed

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(allow_seg_map={self.allow_seg_map}, meta_keys={self.meta_keys})'
