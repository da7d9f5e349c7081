import math
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.models.losses import accuracy
from mmseg.models.utils import resize
from mmseg.registry import MODELS
from mmseg.utils import ConfigType, OptMultiConfig, SampleList
from torch import Tensor

from ..utils import nearest_resize


@MODELS.register_module()
class MMANHead(BaseDecodeHead):
    """Dual-output head of MMAN ("Do-DeepLab-ASPP", Luo et al. ECCV 2018, §3.2).

    Two label maps come out of one set of backbone features:

    - ``low``: ASPP on the deepest feature (a 1x1 branch plus 3x3 branches with the given dilations, each
      straight to ``num_classes``, fused by a 1x1 conv). Its resolution is that of the deepest feature
      (input/16 for the paper's output-stride-16 ResNet-101). Macro D looks at this map.
    - ``high``: cascaded up-sampling from the deepest feature. At every shallower selected stage the map is
      up-sampled to that stage's size, concatenated with a 1x1 projection of the stage (skip connection) and
      fused by a 3x3 conv + InstanceNorm + ReLU; ``len(final_upsample_channels)`` further x2 up-sampling steps
      (each 3x3 conv + InstanceNorm + ReLU) then reach the input resolution, and dropout + a 1x1 conv give the
      logits. Micro D looks at this map. Up-sampling is bilinear followed by a conv (the authors' code uses
      transposed convs with fixed strides; interpolation serves any backbone's stride pattern).
      By default the classifier convs (ASPP branches, fusion, ``conv_seg``, ``conv_seg_mid``) start from
      N(0, 0.001), the paper's initialisation of new layers (§4.2), and the conv blocks followed by
      InstanceNorm from Kaiming init. Such small classifiers need many iterations to grow: for a
      schedule of a few hundred iterations use Kaiming init throughout (``configs/demo``).
    - ``mid`` (optional, ``with_mid_output=True``): logits from the decoder after the shallowest skip stage
      (input/4 for most backbones), the third map of the paper's "Multiple AN" variant (Table 5).

    At test time :meth:`predict` runs the decoder path alone (the ``high`` map is the prediction);
    :meth:`predict_low_res` gives the ``low`` map of each image when a metric asks for it
    (``LowResIoUMetric``, via the segmentor's ``test_cfg.low_res_prediction``).

    Args:
        in_channels (Sequence[int]): Channels of the selected backbone stages, shallow to deep.
        in_index (Sequence[int]): Indices of those stages in the backbone's outputs.
        channels (int): Width of the last up-sampling block, i.e. the input of ``conv_seg``.
        aspp_dilations (Sequence[int]): Dilations of the low-resolution ASPP (1 means a 1x1 conv).
        skip_channels (int): Width of each 1x1 skip projection.
        decoder_channels (Sequence[int]): Width after fusing each skip stage, deepest skip first
            (``len(in_channels) - 1`` entries).
        feature_strides (Sequence[int], optional): Stride of each selected stage, in ``in_index`` order.
            Left unset in configs: :class:`AdversarialEncoderDecoder` measures the backbone (+ neck) once
            at build time and fills it in. With it the stages are taken finest to coarsest whatever
            order the backbone returns them in, ``low`` comes from the coarsest and ``high`` reaches the
            input resolution. Without it (e.g. inside mmseg's plain ``EncoderDecoder``) the stages must
            come shallow to deep with the finest at stride 4.
        final_upsample_channels (Sequence[int], optional): Width of each x2 up-sampling block after the
            finest stage; one block per halving from that stage's stride to the input (2 for stride 4).
            Unset: ``channels`` each, as many as ``feature_strides`` require (2 without them).
        with_mid_output (bool): Also produce the intermediate ``mid`` logits.
        decoder_dropout_ratio (float): Dropout after each decoder block (paper: dropout in the decoder).
        loss_low (dict): Loss on the low-resolution logits against nearest-downsampled labels
            (paper λ1 = 25).
        loss_mid (dict): Loss on the ``mid`` logits, used only with ``with_mid_output``.
        loss_decode (dict): Loss on the full-resolution logits (paper λ3 = 100).

    Shapes:
        in: list of backbone features; ``inputs[in_index[i]]`` is (N, in_channels[i], H_i, W_i).
        out of :meth:`forward`: tuple ordered as :attr:`output_names`:
        low (N, C, H_coarsest, W_coarsest), high (N, C, H_0 * 2**k, W_0 * 2**k) for the finest
        stage (H_0, W_0) and k = ``len(final_upsample_channels)`` (the input size when the segmentor
        measured ``feature_strides``), and optionally mid (N, C, H_0, W_0).
    """

    #: The adversarial segmentor measures the selected stages' strides and passes ``feature_strides``.
    needs_feature_strides = True

    def __init__(self,
                 in_channels: Sequence[int],
                 in_index: Sequence[int],
                 channels: int = 64,
                 aspp_dilations: Sequence[int] = (1, 2, 4, 6),
                 skip_channels: int = 48,
                 decoder_channels: Sequence[int] = (512, 256, 128),
                 final_upsample_channels: Optional[Sequence[int]] = None,
                 feature_strides: Optional[Sequence[int]] = None,
                 with_mid_output: bool = False,
                 decoder_dropout_ratio: float = 0.1,
                 loss_low: ConfigType = dict(type='CrossEntropyLoss', loss_weight=25.0, avg_non_ignore=True),
                 loss_mid: ConfigType = dict(type='CrossEntropyLoss', loss_weight=25.0, avg_non_ignore=True),
                 loss_decode: ConfigType = dict(
                     type='CrossEntropyLoss', loss_weight=100.0, avg_non_ignore=True),
                 norm_cfg: ConfigType = dict(type='IN'),
                 init_cfg: OptMultiConfig = None,
                 **kwargs) -> None:
        if not isinstance(in_index, (list, tuple)) or len(in_index) < 2:
            raise ValueError(
                f'MMANHead needs at least two backbone stages: in_index={in_index!r} must be a list '
                'like [0, 1, 2, 3] (skip connections come from the shallower ones)')
        kwargs.setdefault('input_transform', 'multiple_select')
        if feature_strides is not None:
            in_channels, in_index, feature_strides = self._fine_to_coarse(in_channels, in_index,
                                                                          feature_strides)
        final_upsample_channels = self._upsample_widths(final_upsample_channels, feature_strides, channels)
        super().__init__(
            in_channels=in_channels,
            channels=channels,
            in_index=in_index,
            loss_decode=loss_decode,
            norm_cfg=norm_cfg,
            init_cfg=init_cfg or self._default_init_cfg(with_mid_output),
            **kwargs)
        self.feature_strides = feature_strides
        self._check_widths(decoder_channels, final_upsample_channels)
        if isinstance(self.loss_decode, nn.ModuleList):
            raise ValueError('MMANHead: loss_decode must be one loss config (the full-resolution loss), '
                             'not a list')
        self.with_mid_output = with_mid_output
        self.loss_low = MODELS.build(loss_low)
        self.low_aspp = nn.ModuleList(
            nn.Conv2d(
                self.in_channels[-1],
                self.out_channels,
                1 if d == 1 else 3,
                padding=0 if d == 1 else d,
                dilation=d) for d in aspp_dilations)
        self.low_fuse = nn.Conv2d(len(aspp_dilations) * self.out_channels, self.out_channels, 1)
        self.skip_projections = nn.ModuleList(
            self._conv(c, skip_channels, 1) for c in self.in_channels[-2::-1])
        fuse_in = [self.in_channels[-1]] + list(decoder_channels[:-1])
        self.skip_fusions = nn.ModuleList(
            self._conv(c + skip_channels, d, 3) for c, d in zip(fuse_in, decoder_channels))
        up_in = [decoder_channels[-1]] + list(final_upsample_channels[:-1])
        self.final_upsamples = nn.ModuleList(
            self._conv(c, d, 3) for c, d in zip(up_in, final_upsample_channels))
        self.decoder_dropout = nn.Dropout2d(decoder_dropout_ratio) \
            if decoder_dropout_ratio > 0 else nn.Identity()
        if with_mid_output:
            self.loss_mid = MODELS.build(loss_mid)
            self.conv_seg_mid = nn.Conv2d(decoder_channels[-1], self.out_channels, 1)

    @staticmethod
    def _fine_to_coarse(in_channels: Sequence[int], in_index: Sequence[int],
                        feature_strides: Sequence[int]) -> Tuple[List[int], List[int], List[int]]:
        """The selected stages ordered from the finest to the coarsest, whatever order the backbone
        returns them in (UNet: deep to shallow)."""
        if len(feature_strides) != len(in_index) or len(in_channels) != len(in_index):
            raise ValueError(
                f'MMANHead: feature_strides={tuple(feature_strides)} and in_channels='
                f'{tuple(in_channels)} need one entry per selected stage, in_index={tuple(in_index)}')
        order = sorted(range(len(in_index)), key=lambda i: feature_strides[i])
        return ([in_channels[i] for i in order], [in_index[i]
                                                  for i in order], [feature_strides[i] for i in order])

    @staticmethod
    def _upsample_widths(final_upsample_channels: Optional[Sequence[int]],
                         feature_strides: Optional[Sequence[int]], channels: int) -> Tuple[int, ...]:
        """One x2 up-sampling block per halving from the finest stage's stride to the input: derived
        from ``feature_strides`` when the segmentor measured them, else 2 (a stride-4 finest stage)."""
        if feature_strides is None:
            return tuple(final_upsample_channels or (channels, channels))
        finest = feature_strides[0]
        steps = int(round(math.log2(finest))) if finest >= 1 else -1
        if steps < 0 or 2**steps != finest:
            raise ValueError(f'MMANHead: the finest selected stage is at stride {finest} (strides '
                             f'{tuple(feature_strides)}); x2 up-sampling reaches the input only from a power '
                             'of two: select other stages with in_index / in_channels')
        if final_upsample_channels is None:
            return (channels, ) * steps
        if len(final_upsample_channels) != steps:
            raise ValueError(f'MMANHead: final_upsample_channels={tuple(final_upsample_channels)} has '
                             f'{len(final_upsample_channels)} x2 steps, but the finest selected stage is at '
                             f'stride {finest} (strides {tuple(feature_strides)}): give {steps} widths or '
                             'leave it unset')
        return tuple(final_upsample_channels)

    @staticmethod
    def _default_init_cfg(with_mid_output: bool) -> List[dict]:
        classifiers = ['conv_seg', 'low_fuse', 'low_aspp'] + (['conv_seg_mid'] if with_mid_output else [])
        return [
            dict(type='Kaiming', layer='Conv2d'),
            dict(type='Normal', std=0.001, override=[dict(name=name) for name in classifiers])
        ]

    def _check_widths(self, decoder_channels: Sequence[int], final_upsample_channels: Sequence[int]) -> None:
        if len(decoder_channels) != len(self.in_channels) - 1:
            raise ValueError(
                f'MMANHead: decoder_channels={tuple(decoder_channels)} needs one entry per skip stage, '
                f'i.e. len(in_channels) - 1 = {len(self.in_channels) - 1}')
        if not final_upsample_channels:
            if decoder_channels[-1] != self.channels:
                raise ValueError(f'MMANHead: the finest stage is at the input resolution (no up-sampling '
                                 f'block), so decoder_channels[-1]={decoder_channels[-1]} must equal '
                                 f'channels={self.channels} (the input width of conv_seg)')
            return
        if final_upsample_channels[-1] != self.channels:
            raise ValueError(
                f'MMANHead: final_upsample_channels={tuple(final_upsample_channels)} must end with '
                f'channels={self.channels} (the input width of conv_seg)')

    def _conv(self, in_channels: int, out_channels: int, kernel_size: int) -> ConvModule:
        return ConvModule(
            in_channels,
            out_channels,
            kernel_size,
            padding=kernel_size // 2,
            conv_cfg=self.conv_cfg,
            norm_cfg=self.norm_cfg if kernel_size > 1 else None,
            act_cfg=self.act_cfg)

    @property
    def output_names(self) -> Tuple[str, ...]:
        """Names of the outputs of :meth:`forward`, in order."""
        return ('low', 'high', 'mid') if self.with_mid_output else ('low', 'high')

    def named_outputs(self, outputs: Sequence[Tensor]) -> Dict[str, Tensor]:
        """Map the tuple returned by :meth:`forward` to ``{name: logits}``."""
        return dict(zip(self.output_names, outputs))

    def forward(self, inputs: List[Tensor]) -> Tuple[Tensor, ...]:
        """Return the logits named in :attr:`output_names` (see the class docstring for shapes)."""
        feats = self._transform_inputs(inputs)
        return (self._forward_low(feats), ) + self._forward_decoder(feats)

    def _forward_low(self, feats: List[Tensor]) -> Tensor:
        """The ``low`` logits, from the deepest selected feature alone."""
        return self.low_fuse(torch.cat([branch(feats[-1]) for branch in self.low_aspp], dim=1))

    def _forward_decoder(self, feats: List[Tensor]) -> Tuple[Tensor, ...]:
        """``(high, )`` or, with ``with_mid_output``, ``(high, mid)``."""
        x = feats[-1]
        for skip, project, fuse in zip(feats[-2::-1], self.skip_projections, self.skip_fusions):
            x = resize(x, size=skip.shape[2:], mode='bilinear', align_corners=self.align_corners)
            x = self.decoder_dropout(fuse(torch.cat([x, project(skip)], dim=1)))
        mid = self.conv_seg_mid(x) if self.with_mid_output else None
        for upsample in self.final_upsamples:
            x = F.interpolate(x, scale_factor=2, mode='bilinear', align_corners=self.align_corners)
            x = self.decoder_dropout(upsample(x))
        high = self.cls_seg(x)
        return (high, mid) if self.with_mid_output else (high, )

    def predict(self, inputs: List[Tensor], batch_img_metas: List[dict], test_cfg: ConfigType) -> Tensor:
        """Full-resolution logits resized to the input image, (N, C, H, W). Only the decoder path
        runs: the low-resolution branch is left out (see :meth:`predict_low_res`)."""
        high = self._forward_decoder(self._transform_inputs(inputs))[0]
        return self.predict_by_feat(high, batch_img_metas)

    def predict_low_res(self, inputs: List[Tensor], batch_img_metas: List[dict],
                        input_size: Sequence[int]) -> List[Tensor]:
        """The ``low`` logits of each image over its own region: the border that the data
        preprocessor padded (``img_padding_size``) is cut off at the map's scale and flipped views
        (``flip``, ``flip_direction``) are flipped back. Channels are not swapped.

        Shapes:
            in: backbone features of a padded batch of ``input_size`` (H, W).
            out: per image (C, h_i, w_i), the low-resolution map of the un-padded image.
        """
        low = self._forward_low(self._transform_inputs(inputs))
        scale_h, scale_w = low.shape[2] / input_size[0], low.shape[3] / input_size[1]
        regions = []
        for logits, meta in zip(low, batch_img_metas):
            left, right, top, bottom = meta.get('img_padding_size', meta.get('padding_size', [0] * 4))
            h_end = low.shape[2] - int(round(bottom * scale_h))
            w_end = low.shape[3] - int(round(right * scale_w))
            region = logits[:, int(round(top * scale_h)):h_end, int(round(left * scale_w)):w_end]
            if meta.get('flip'):
                region = region.flip(dims=(2, ) if meta.get('flip_direction') == 'horizontal' else (1, ))
            regions.append(region)
        return regions

    def loss_by_feat(self, seg_logits: Sequence[Tensor], batch_data_samples: SampleList) -> Dict[str, Tensor]:
        """Cross-entropy on every output against labels at that output's size.

        The high-resolution logits are resized to the label size (as mmseg's heads do); labels are
        nearest-downsampled to the low and mid maps. 255 stays ignored.
        """
        outputs = self.named_outputs(seg_logits)
        seg_label = self._stack_batch_gt(batch_data_samples)
        losses = {}
        for name, loss_fn in self._losses().items():
            logits = outputs[name]
            if name == 'high':
                logits = resize(
                    logits, size=seg_label.shape[2:], mode='bilinear', align_corners=self.align_corners)
                label = seg_label
            else:
                label = nearest_resize(seg_label, logits.shape[2:])
            label = label.squeeze(1)
            key = loss_fn.loss_name if name == 'high' else f'{loss_fn.loss_name}_{name}'
            losses[key] = loss_fn(logits, label, ignore_index=self.ignore_index)
            if name == 'high':
                losses['acc_seg'] = accuracy(logits, label, ignore_index=self.ignore_index)
        return losses

    def _losses(self) -> Dict[str, nn.Module]:
        losses = {'high': self.loss_decode, 'low': self.loss_low}
        if self.with_mid_output:
            losses['mid'] = self.loss_mid
        return losses
