from typing import List

import torch.nn.functional as F
from mmseg.registry import MODELS
from mmseg.utils import SampleList
from torch import Tensor

from .base_saliency_source import BaseSaliencySource


@MODELS.register_module()
class SaliencyFromSample(BaseSaliencySource):
    """Saliency maps from a folder, read by the ``LoadSaliencyMap`` transform and packed by
    ``PackTagInputs`` as each sample's ``gt_saliency`` (values in [0, 1]). A map of another size than the
    image's original size is resized to it (bilinear), not rejected.

    Shapes: out (H_ori, W_ori) per image.
    """

    def __call__(self, inputs: Tensor, data_samples: SampleList) -> List[Tensor]:
        maps = []
        for sample in data_samples:
            if 'gt_saliency' not in sample:
                raise KeyError(f'{sample.metainfo.get("img_path", "<image>")} has no saliency map: put '
                               'LoadSaliencyMap (before PackTagInputs) in the test pipeline')
            saliency = sample.gt_saliency.data.float().to(inputs.device)
            ori_shape = tuple(sample.metainfo.get('ori_shape', saliency.shape[-2:])[:2])
            if tuple(saliency.shape[-2:]) != ori_shape:
                saliency = F.interpolate(
                    saliency[None], size=ori_shape, mode='bilinear', align_corners=False)[0]
            maps.append(saliency.reshape(ori_shape).clamp(0, 1))
        return maps
