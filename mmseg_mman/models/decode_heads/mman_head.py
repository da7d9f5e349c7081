from typing import Dict, List, Sequence, Tuple

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
        final_upsample_channels (Sequence[int]): Width of each x2 up-sampling block after the shallowest
            stage (two entries for a stride-4 shallowest stage; the last must equal ``channels``).
        with_mid_output (bool): Also produce the intermediate ``mid`` logits.
        decoder_dropout_ratio (float): Dropout after each decoder block (paper: dropout in the decoder).
        loss_low (dict): Loss on the low-resolution logits against nearest-downsampled labels
            (paper λ1 = 25).
        loss_mid (dict): Loss on the ``mid`` logits, used only with ``with_mid_output``.
        loss_decode (dict): Loss on the full-resolution logits (paper λ3 = 100).

    Shapes:
        in: list of backbone features; ``inputs[in_index[i]]`` is (N, in_channels[i], H_i, W_i).
        out of :meth:`forward`: tuple ordered as :attr:`output_names`:
        low (N, C, H_deep, W_deep), high (N, C, H_0 * 2**k, W_0 * 2**k) with
        k = ``len(final_upsample_channels)``, and optionally mid (N, C, H_0, W_0).
    """

    def __init__(self,
                 in_channels: Sequence[int],
                 in_index: Sequence[int],
                 channels: int = 64,
                 aspp_dilations: Sequence[int] = (1, 2, 4, 6),
                 skip_channels: int = 48,
                 decoder_channels: Sequence[int] = (512, 256, 128),
                 final_upsample_channels: Sequence[int] = (64, 64),
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
        super().__init__(
            in_channels=in_channels,
            channels=channels,
            in_index=in_index,
            loss_decode=loss_decode,
            norm_cfg=norm_cfg,
            init_cfg=init_cfg or self._default_init_cfg(with_mid_output),
            **kwargs)
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
        if not final_upsample_channels or final_upsample_channels[-1] != self.channels:
            raise ValueError(
                f'MMANHead: final_upsample_channels={tuple(final_upsample_channels)} must be non-empty '
                f'and end with channels={self.channels} (the input width of conv_seg)')

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
