from typing import Dict, List, Optional

import torch
import torch.nn.functional as F
from mmengine.config import ConfigDict
from mmengine.structures import PixelData
from mmseg.models.segmentors import EncoderDecoder
from mmseg.registry import MODELS
from mmseg.utils import ConfigType, OptConfigType, OptMultiConfig, SampleList
from torch import Tensor

from ..decode_heads.seenet_head import sample_tags
from ..utils.self_erasing import normalize_attention

# Only 'whole' inference: the attention of a crop would be normalised by the crop's own maximum.
TEST_MODES = ('whole', )


@MODELS.register_module()
class SeeNet(EncoderDecoder):
    """Tag classifier whose attention becomes pseudo labels (SeeNet, Hou et al. NeurIPS 2018, §3-4).

    Training: backbone (+ neck) + :class:`SeeNetHead` on images with tags only (``tags`` metainfo of each
    sample, no ``gt_sem_seg`` needed); the loss is the head's three BCE terms (S_A alone for the CAM
    configuration).

    Prediction (tags are needed: they drive C-ReLU and choose the classes), per image:

    1. attention (vis.ipynb): each attention branch's score map (:attr:`SeeNetHead.attention_branches`)
       bicubic-resized to the input, cropped to the image and resized to its original size, negatives set
       to 0 and divided by its own maximum; fused = max over branches (max(S_A, S_B); S_A for CAM). With
       ``test_cfg.flip`` the mirrored image's attention, mirrored back, is fused by an element-wise max.
       Untagged classes are 0. With ``tag_folding`` (:class:`TagFolding`, e.g. :class:`CCPTagFolding`) the
       classifier's vocabulary is folded into the parsing classes here: everything after (rule, PNGs,
       PseudoLabelMetric) is in the parsing classes.
    2. saliency from ``saliency_source`` (a saliency-map folder loaded by ``LoadSaliencyMap``, or the
       foreground probability of a trained parser), when the label rule needs one.
    3. ``label_rule`` (:class:`HarmonicMeanRule`, :class:`ThresholdRule`): scores (background first) and
       the pseudo label in {0, tags, 255}.

    Each result has ``pred_sem_seg`` (the pseudo label: ``tools/test.py --out`` writes it as a uint8 PNG
    through IoUMetric's / PseudoLabelMetric's ``output_dir``), ``seg_logits`` (the rule's scores) and
    ``pred_attention`` (fused attention of every foreground class, for PseudoLabelMetric's coverage@tau),
    and the metainfo ``attention_tags`` (the tags of ``pred_attention``'s classes: ``tags``, folded).

    Args:
        label_rule (dict): The pseudo-label rule config.
        saliency_source (dict, optional): Where saliency comes from; required when the rule needs it.
        tag_folding (dict, optional): Folds the head's vocabulary (``decode_head.num_classes``) into the
            parsing classes; None: the vocabulary is the parsing classes.
        Others: as :class:`EncoderDecoder`; ``test_cfg.flip`` (bool, default False) adds the flip-max.

    Shapes:
        train: ``inputs`` (N, 3, H, W) and per-sample tags.
        predict: ``pred_sem_seg`` (1, H_ori, W_ori), ``seg_logits`` (C, H_ori, W_ori),
        ``pred_attention`` (C - 1, H_ori, W_ori); C = the head's num_classes, or the folding's.
    """

    def __init__(self,
                 backbone: ConfigType,
                 decode_head: ConfigType,
                 label_rule: ConfigType = dict(type='ThresholdRule'),
                 saliency_source: OptConfigType = None,
                 tag_folding: OptConfigType = None,
                 neck: OptConfigType = None,
                 train_cfg: OptConfigType = None,
                 test_cfg: OptConfigType = None,
                 data_preprocessor: OptConfigType = None,
                 pretrained: Optional[str] = None,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(
            backbone=backbone,
            decode_head=decode_head,
            neck=neck,
            train_cfg=train_cfg,
            test_cfg=test_cfg,
            data_preprocessor=data_preprocessor,
            pretrained=pretrained,
            init_cfg=init_cfg)
        self.test_cfg = ConfigDict({'mode': 'whole', 'flip': False, **(test_cfg or {})})
        if self.test_cfg.mode not in TEST_MODES:
            raise ValueError(f'SeeNet: test_cfg.mode={self.test_cfg.mode!r}; only {TEST_MODES} is supported')
        self.label_rule = MODELS.build(label_rule)
        if self.label_rule.needs_saliency and saliency_source is None:
            raise ValueError(f'SeeNet: label_rule {type(self.label_rule).__name__} needs a saliency_source '
                             '(SaliencyFromSample or ParserSaliency)')
        self.saliency_source = MODELS.build(saliency_source) if saliency_source is not None else None
        if self.saliency_source is not None:
            self.saliency_source.check_compatible(self.data_preprocessor)
        self.tag_folding = MODELS.build(tag_folding) if tag_folding is not None else None

    def _forward(self, inputs: Tensor, data_samples: SampleList = None) -> Dict[str, Tensor]:
        """Score maps of every branch of the head (``mode='tensor'``)."""
        tags = self.decode_head.tags_of([sample.metainfo for sample in data_samples], inputs.device)
        return self.decode_head.forward(self.extract_feat(inputs), tags)

    def attention(self, inputs: Tensor, batch_img_metas: List[dict]) -> List[Tensor]:
        """Fused attention of each image at its original size, (num_classes - 1, H_ori, W_ori) in [0, 1],
        0 for untagged classes; see the class docstring."""
        fused = self._view_attention(inputs, batch_img_metas, mirrored=False)
        if self.test_cfg.flip:
            mirrored = self._view_attention(inputs, batch_img_metas, mirrored=True)
            fused = [torch.maximum(a, b) for a, b in zip(fused, mirrored)]
        return fused

    def _view_attention(self, inputs: Tensor, batch_img_metas: List[dict], mirrored: bool) -> List[Tensor]:
        """max over the attention branches of one view (the image or its mirror, mirrored back)."""
        view = inputs.flip(-1) if mirrored else inputs
        score_maps = self.decode_head.predict(self.extract_feat(view), batch_img_metas, self.test_cfg)
        fused = []
        for i, meta in enumerate(batch_img_metas):
            # Only the tagged classes' maps are resized: a fine vocabulary has ~60 maps of which an image
            # tags ~10, and each is resized to the photo's full size.
            tagged = torch.as_tensor([int(c) - 1 for c in sample_tags(meta)],
                                     dtype=torch.long,
                                     device=inputs.device)
            attention = inputs.new_zeros((self.decode_head.num_tags, *self._original_size(meta, inputs)))
            if len(tagged):
                branches = []
                for maps in score_maps.values():
                    maps = F.interpolate(
                        maps[i:i + 1, tagged], size=inputs.shape[2:], mode='bicubic', align_corners=False)
                    maps = maps.flip(-1) if mirrored else maps
                    branches.append(normalize_attention(self._to_original_size(maps, meta)))
                attention[tagged] = torch.stack(branches).amax(dim=0)[0]
            fused.append(attention)
        return fused

    @staticmethod
    def _original_size(meta: dict, inputs: Tensor) -> tuple:
        """(H_ori, W_ori): ``ori_shape``, else ``img_shape``, else the input's size."""
        return tuple(meta.get('ori_shape', meta.get('img_shape', inputs.shape[2:]))[:2])

    @staticmethod
    def _to_original_size(maps: Tensor, meta: dict) -> Tensor:
        """Maps at the (padded) input size cropped to the image and resized to ``ori_shape``, as
        :meth:`EncoderDecoder.postprocess_result` does with logits (normalisation comes after, so padding
        never sets a map's maximum)."""
        height, width = meta.get('img_shape', maps.shape[2:])[:2]
        maps = maps[:, :, :height, :width]
        ori_shape = tuple(meta.get('ori_shape', (height, width))[:2])
        if tuple(maps.shape[2:]) != ori_shape:
            maps = F.interpolate(maps, size=ori_shape, mode='bilinear', align_corners=False)
        return maps

    def predict(self, inputs: Tensor, data_samples: SampleList) -> SampleList:
        """Pseudo labels, rule scores and fused attention of each image; see the class docstring."""
        if not data_samples:
            raise ValueError('SeeNet.predict needs data samples with `tags`: attention is made for tagged '
                             'images only')
        metas = [sample.metainfo for sample in data_samples]
        attention = self.attention(inputs, metas)
        tags = [sample_tags(meta) for meta in metas]
        if self.tag_folding is not None:
            attention, tags = zip(*(self.tag_folding(maps, tag) for maps, tag in zip(attention, tags)))
        saliency = [None] * len(metas)
        if self.label_rule.needs_saliency:
            saliency = self.saliency_source(inputs, data_samples)
        for sample, meta, maps, tag, sal in zip(data_samples, metas, attention, tags, saliency):
            label, scores = self.label_rule(maps, tag, sal, source=meta.get('img_path'))
            sample.set_metainfo(dict(attention_tags=tuple(tag)))
            sample.set_data(
                dict(
                    pred_sem_seg=PixelData(data=label[None]),
                    seg_logits=PixelData(data=scores),
                    pred_attention=PixelData(data=maps)))
        return data_samples
