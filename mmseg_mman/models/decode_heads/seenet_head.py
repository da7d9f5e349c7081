from typing import Dict, List, Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from mmengine.logging import MessageHub
from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.registry import MODELS
from mmseg.utils import ConfigType, SampleList
from torch import Tensor

from ..utils.self_erasing import crelu, tags_to_multi_hot, ternary_mask

BRANCHES = ('A', 'B', 'C')


def sample_tags(metainfo: dict) -> Sequence[int]:
    """The ``tags`` (foreground class ids) of one sample's metainfo, put there by ``PackTagInputs``."""
    if 'tags' not in metainfo:
        raise KeyError(f'{metainfo.get("img_path", "<a sample>")} carries no `tags` metainfo: the pipeline '
                       'needs a tag transform (LoadTagsFromFile, LoadCCPTags, TagsFromSegMap) and '
                       'PackTagInputs')
    return metainfo['tags']


@MODELS.register_module()
class SeeNetHead(BaseDecodeHead):
    """Multi-label tag classifier with self-erasing branches (SeeNet, Hou et al. NeurIPS 2018, §3).

    Every branch reads the same backbone feature x (output stride 16 in the paper) and is conv3x3 + ReLU,
    conv3x3 + ReLU, dropout, conv1x1 to one score map per foreground class; global average pooling gives
    the multi-label logits.

    - S_A reads x; its score maps are the attention M_A.
    - The ternary mask T_A (per sample, no gradient; :func:`ternary_mask`) comes from M_A and the image's
      tags with thresholds ``delta_h`` / ``delta_l``.
    - S_B reads C-ReLU(x) = relu(x) * T_A (:func:`crelu`): the attended region erased, the background
      reversed; it must still find the tags, so its attention moves into the rest of the object.
    - S_C reads relu(x) * [T_A == -1] (background features only) and must find no tag: its target is all
      zero, which keeps the background out of the attention. With ``share_bc`` (the Caffe model) S_C is
      S_B's layers.

    Loss: L_SA + L_SB + L_SC, each ``loss_decode`` (sigmoid BCE, mean over classes and samples) on the
    GAP of the branch's score maps (``loss_cls_a``, ``loss_cls_b``, ``loss_cls_c``). During the first
    ``warmup_iters`` iterations only L_SA counts (the other two are multiplied by 0, so every parameter
    still takes part). ``self_erasing=False`` keeps S_A alone: the plain
    CAM classifier (Zhou et al. CVPR 2016), the baseline.

    Tags are foreground class ids 1..``num_classes - 1`` in the samples' ``tags`` metainfo; class id c is
    score map c - 1. An image without tags is all background for T_A; its targets are all zero.

    Args:
        in_channels (int): Channels of the selected backbone stage (``in_index``).
        channels (int): Width of each branch's 3x3 convs (paper: 512).
        num_classes (int): Segmentation classes including the background 0; there are
            ``num_classes - 1`` score maps.
        self_erasing (bool): Build S_B and S_C (SeeNet) or not (CAM).
        share_bc (bool): S_C uses S_B's layers (default, as the Caffe model).
        delta_h, delta_l (float): Training thresholds of T_A (paper 0.7 / 0.05).
        test_delta_h, test_delta_l (float): Thresholds of T_A at inference (deploy prototxt: 0.8 / 0.0,
            i.e. it only erases).
        dropout_ratio (float): Dropout of S_A (paper 0.5); S_B and S_C have none (commented out in the
            prototxt).
        warmup_iters (int): S_A-only iterations at the start (paper: 0).
        attention_branches (Sequence[str], optional): Branches fused at inference; default ('A', 'B')
            (vis.ipynb), ('A',) for CAM. ('A',) on a SeeNet model measures what erasing did to S_A itself.
        loss_decode (dict): The multi-label loss of each branch (one config, not a list).

    Shapes:
        in: list of backbone features; ``inputs[in_index]`` is (N, in_channels, h, w); tags (N, K) multi-hot,
        K = num_classes - 1.
        out of :meth:`forward`: ``{'A': (N, K, h, w), 'B': ..., 'C': ...}`` score maps ('A' only for CAM).
    """

    def __init__(self,
                 in_channels: int,
                 channels: int,
                 num_classes: int,
                 self_erasing: bool = True,
                 share_bc: bool = True,
                 delta_h: float = 0.7,
                 delta_l: float = 0.05,
                 test_delta_h: float = 0.8,
                 test_delta_l: float = 0.0,
                 dropout_ratio: float = 0.5,
                 warmup_iters: int = 0,
                 attention_branches: Optional[Sequence[str]] = None,
                 loss_decode: ConfigType = dict(
                     type='CrossEntropyLoss', use_sigmoid=True, avg_non_ignore=True, loss_weight=1.0),
                 init_cfg: ConfigType = dict(type='Normal', std=0.01, layer='Conv2d'),
                 **kwargs) -> None:
        if num_classes < 2:
            raise ValueError(f'SeeNetHead: num_classes={num_classes} must count the background and at '
                             'least one foreground class')
        for low, high, name in ((delta_l, delta_h, 'delta'), (test_delta_l, test_delta_h, 'test_delta')):
            if not 0.0 <= low <= high <= 1.0:
                raise ValueError(f'SeeNetHead: need 0 <= {name}_l <= {name}_h <= 1, got {low}, {high}')
        if not isinstance(loss_decode, dict):
            raise TypeError(f'SeeNetHead: loss_decode must be one loss config (a dict), got {loss_decode!r}')
        if warmup_iters < 0:
            raise ValueError(f'SeeNetHead: warmup_iters={warmup_iters} must be >= 0')
        super().__init__(
            in_channels=in_channels,
            channels=channels,
            num_classes=num_classes,
            dropout_ratio=0.0,
            loss_decode=loss_decode,
            init_cfg=init_cfg,
            **kwargs)
        # The branches end in their own classifiers: BaseDecodeHead's conv_seg would be an unused parameter.
        del self.conv_seg
        self.num_tags = num_classes - 1
        self.self_erasing = self_erasing
        self.share_bc = share_bc
        self.delta_h, self.delta_l = delta_h, delta_l
        self.test_delta_h, self.test_delta_l = test_delta_h, test_delta_l
        self.warmup_iters = warmup_iters
        self.branch_a = self._make_branch(dropout_ratio)
        if self_erasing:
            self.branch_b = self._make_branch(0.0)
            self.branch_c = self.branch_b if share_bc else self._make_branch(0.0)
        self.attention_branches = attention_branches or self.branch_names[:2]

    def _make_branch(self, dropout_ratio: float) -> nn.Sequential:
        conv = dict(
            kernel_size=3, padding=1, conv_cfg=self.conv_cfg, norm_cfg=self.norm_cfg, act_cfg=self.act_cfg)
        return nn.Sequential(
            ConvModule(self.in_channels, self.channels, **conv),
            ConvModule(self.channels, self.channels, **conv),
            nn.Dropout(dropout_ratio) if dropout_ratio > 0 else nn.Identity(),  # element-wise, as Caffe
            nn.Conv2d(self.channels, self.num_tags, kernel_size=1))

    @property
    def branch_names(self) -> tuple:
        """Branches this head computes: ('A', 'B', 'C') or ('A',) for CAM."""
        return BRANCHES if self.self_erasing else BRANCHES[:1]

    @property
    def attention_branches(self) -> tuple:
        """Branches fused into the attention at inference: max(S_A, S_B) by default, S_A for CAM."""
        return self._attention_branches

    @attention_branches.setter
    def attention_branches(self, names: Sequence[str]) -> None:
        names = tuple(names)
        allowed = self.branch_names[:2]
        if not names or any(name not in allowed for name in names):
            raise ValueError(
                f'SeeNetHead: attention_branches={names} must be a non-empty subset of {allowed} '
                '(S_C learns the background: it is no attention)')
        self._attention_branches = names

    def tags_of(self, metainfos: Sequence[dict], device=None) -> Tensor:
        """(N, K) multi-hot tags of a batch's metainfos (or data samples' ``metainfo``)."""
        return tags_to_multi_hot([sample_tags(meta) for meta in metainfos], self.num_tags, device)

    def forward(self, inputs: List[Tensor], tags: Tensor) -> Dict[str, Tensor]:
        """Score maps of every branch; see the class docstring for shapes."""
        x = self._transform_inputs(inputs)
        maps = {'A': self.branch_a(x)}
        if self.self_erasing:
            delta_h, delta_l = ((self.delta_h, self.delta_l) if self.training else
                                (self.test_delta_h, self.test_delta_l))
            mask = ternary_mask(maps['A'], tags, delta_h, delta_l)
            maps['B'] = self.branch_b(crelu(x, mask))
            maps['C'] = self.branch_c(F.relu(x) * (mask == -1).to(x.dtype))
        return maps

    def loss(self, inputs: List[Tensor], batch_data_samples: SampleList, train_cfg: ConfigType) -> dict:
        tags = self.tags_of([sample.metainfo for sample in batch_data_samples], inputs[0].device)
        return self.loss_by_feat(self.forward(inputs, tags), tags)

    def loss_by_feat(self, score_maps: Dict[str, Tensor], tags: Tensor) -> Dict[str, Tensor]:
        """The branches' BCE losses after GAP: tags for S_A and S_B, all zeros for S_C."""
        targets = dict(A=tags, B=tags, C=torch.zeros_like(tags))
        in_warmup = MessageHub.get_current_instance().get_info('iter', 0) < self.warmup_iters
        losses = {}
        for name, maps in score_maps.items():
            loss = self.loss_decode(maps.mean(dim=(2, 3)), targets[name])
            losses[f'loss_cls_{name.lower()}'] = loss * 0.0 if in_warmup and name != 'A' else loss
        return losses

    def predict(self, inputs: List[Tensor], batch_img_metas: List[dict],
                test_cfg: ConfigType) -> Dict[str, Tensor]:
        """Score maps of the attention branches (:attr:`attention_branches`) at feature resolution, with
        the inference thresholds; the segmentor turns them into attention and pseudo labels."""
        maps = self.forward(inputs, self.tags_of(batch_img_metas, inputs[0].device))
        return {name: maps[name] for name in self.attention_branches}
