import copy
from contextlib import contextmanager
from typing import Dict, Iterator, List, Optional, Tuple, Union

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.logging import MessageHub
from mmengine.model import ModuleDict, is_model_wrapper
from mmengine.optim import OptimWrapper, OptimWrapperDict
from mmengine.structures import PixelData
from mmseg.models.segmentors import EncoderDecoder
from mmseg.models.utils import resize
from mmseg.registry import MODELS
from mmseg.utils import ConfigType, OptConfigType, OptMultiConfig, OptSampleList, SampleList
from torch import Tensor

from ..decode_heads.mman_head import downsample_label

# Keys of a discriminator entry read by the segmentor, not passed to the discriminator.
ADVERSARY_KEYS = ('output', 'loss_weight', 'grad_to_generator')


def unwrap(module: nn.Module) -> nn.Module:
    """The module inside a (separate) DDP wrapper, or the module itself."""
    return module.module if is_model_wrapper(module) else module


@contextmanager
def frozen(module: nn.Module) -> Iterator[None]:
    """Temporarily stop gradients from accumulating in every parameter of ``module``."""
    params = list(module.parameters())
    flags = [p.requires_grad for p in params]
    for p in params:
        p.requires_grad_(False)
    try:
        yield
    finally:
        for p, flag in zip(params, flags):
            p.requires_grad_(flag)


class DiscriminatorDict(ModuleDict):
    """Discriminators keyed by name, callable as one module so DDP can wrap them together.

    Shapes:
        in: ``{name: (N_name, C_name, H_name, W_name)}``; out: ``{name: scores}``.
    """

    def forward(self, inputs: Dict[str, Tensor]) -> Dict[str, Tensor]:
        return {name: self[name](x) for name, x in inputs.items()}


@MODELS.register_module()
class AdversarialEncoderDecoder(EncoderDecoder):
    """Encoder-decoder segmentor trained against discriminators on its label maps (MMAN, Luo et al.
    ECCV 2018, §3; Eq. 2-5).

    The generator G is the backbone (+ neck) + decode head (+ auxiliary head). Each discriminator is
    attached to one named output of the decode head (``'low'``, ``'high'`` or ``'mid'`` for
    :class:`MMANHead`) and scores the image resized to that map, concatenated with the label map: the
    one-hot ground truth is "real", G's softmax is "fake", ignored pixels are zeroed in both. One
    code path covers the paper's variants: no discriminator (CE baseline), Macro only, Micro only,
    MMAN (Macro on ``low`` + Micro on ``high``), Single AN (one global D on ``high``), Double AN and
    Multiple AN (a third D on ``mid``).

    :meth:`train_step` runs G forward once, updates the discriminators on detached maps, then updates G
    on its segmentation losses plus the weighted adversarial losses with every discriminator frozen.
    Prediction is exactly that of :class:`EncoderDecoder` on the ``high`` output (no discriminator runs
    at test time); in ``'whole'`` mode each result also carries ``pred_sem_seg_low``, the arg-max of the
    low-resolution output over the un-padded, un-flipped image region.

    Args:
        discriminators (dict, optional): ``{name: cfg}``. Each ``cfg`` is a discriminator config plus
            ``output`` (the head output it judges, required), ``loss_weight`` (weight of its adversarial
            term for G, default 1.0) and ``grad_to_generator`` (default True; False detaches the map in
            the G step, reproducing the authors' code's defect for Macro D, for comparison only).
            ``in_channels`` is derived: ``image_channels + num_classes``.
        gan_loss (dict): The adversarial loss (:class:`GANLoss`): ``vanilla``, ``lsgan`` or ``hinge``.
        disc_update_interval (int): Update the discriminators every this many iterations.
        disc_update_prob (float): Probability of a discriminator update on such an iteration (the
            authors' code: 0.1). The draw depends only on ``disc_update_seed`` and the iteration, so
            it is identical on every DDP rank and after a resume.
        disc_warmup_iters (int): Iterations at the start during which the discriminators train but G
            gets no adversarial loss.
        image_channels (int): Channels of the input image fed to the discriminators.

    Shapes:
        train: ``inputs`` (N, image_channels, H, W) with ``gt_sem_seg`` (N, 1, H, W).
        predict: as :class:`EncoderDecoder` (``pred_sem_seg`` at the original size).
    """

    def __init__(self,
                 backbone: ConfigType,
                 decode_head: ConfigType,
                 discriminators: OptConfigType = None,
                 gan_loss: ConfigType = dict(type='GANLoss', loss_type='vanilla'),
                 disc_update_interval: int = 1,
                 disc_update_prob: float = 1.0,
                 disc_update_seed: int = 0,
                 disc_warmup_iters: int = 0,
                 image_channels: int = 3,
                 neck: OptConfigType = None,
                 auxiliary_head: OptConfigType = None,
                 train_cfg: OptConfigType = None,
                 test_cfg: OptConfigType = None,
                 data_preprocessor: OptConfigType = None,
                 pretrained: Optional[str] = None,
                 init_cfg: OptMultiConfig = None) -> None:
        if isinstance(auxiliary_head, list):
            raise ValueError('AdversarialEncoderDecoder: auxiliary_head must be one head config, not a '
                             'list (each head must be called through its DDP wrapper in train_step)')
        super().__init__(
            backbone=backbone, decode_head=decode_head, neck=neck, auxiliary_head=auxiliary_head,
            train_cfg=train_cfg, test_cfg=test_cfg, data_preprocessor=data_preprocessor,
            pretrained=pretrained, init_cfg=init_cfg)
        if disc_update_interval < 1 or not 0.0 < disc_update_prob <= 1.0:
            raise ValueError(
                f'AdversarialEncoderDecoder: disc_update_interval={disc_update_interval} must be >= 1 '
                f'and disc_update_prob={disc_update_prob} in (0, 1]')
        self.gan_loss = MODELS.build(gan_loss)
        self.disc_update_interval = disc_update_interval
        self.disc_update_prob = disc_update_prob
        self.disc_update_seed = disc_update_seed
        self.disc_warmup_iters = disc_warmup_iters
        self.image_channels = image_channels
        self.adversaries: Dict[str, dict] = {}
        self.discriminators = DiscriminatorDict()
        for name, cfg in (discriminators or {}).items():
            self._add_discriminator(name, copy.deepcopy(dict(cfg)))

    def _add_discriminator(self, name: str, cfg: dict) -> None:
        key = f'model.discriminators.{name}'
        spec = {k: cfg.pop(k) for k in ADVERSARY_KEYS if k in cfg}
        outputs = getattr(self._head(), 'output_names', ('high', ))
        if spec.get('output') not in outputs:
            raise ValueError(
                f'{key}.output={spec.get("output")!r} is not an output of the decode head '
                f'{type(self._head()).__name__}, which produces {outputs}')
        expected = self.image_channels + self.num_classes
        if cfg.setdefault('in_channels', expected) != expected:
            raise ValueError(
                f'{key}.in_channels={cfg["in_channels"]} disagrees with the decode head: the '
                f'discriminator sees image_channels ({self.image_channels}) + num_classes '
                f'({self.num_classes}) = {expected} channels; leave in_channels unset')
        spec.setdefault('loss_weight', 1.0)
        spec.setdefault('grad_to_generator', True)
        self.adversaries[name] = spec
        self.discriminators[name] = MODELS.build(cfg)

    def _head(self) -> nn.Module:
        return unwrap(self.decode_head)

    def _discriminators(self) -> DiscriminatorDict:
        return unwrap(self.discriminators)

    # ----------------------------------------------------------------------------------- training

    def train_step(self, data: Union[dict, tuple, list],
                   optim_wrapper: Union[OptimWrapper, OptimWrapperDict]) -> Dict[str, Tensor]:
        """One alternating update: D on detached maps, then G with D frozen (G runs forward once)."""
        g_wrapper, d_wrapper = self._split_optim_wrapper(optim_wrapper)
        cur_iter = MessageHub.get_current_instance().get_info('iter', 0)
        data = self.data_preprocessor(data, True)
        inputs, data_samples = data['inputs'], data['data_samples']
        with g_wrapper.optim_context(self):
            feats = self.extract_feat(inputs)
            raw_outputs, outputs = self._head_outputs(feats)
            g_losses = self._segmentation_losses(feats, raw_outputs, data_samples)
            pairs = self._real_and_fake(inputs, outputs, data_samples)
        log_vars = {}
        if self.adversaries and self._should_update_discriminators(cur_iter):
            log_vars.update(self._update_discriminators(pairs, d_wrapper))
        if self.adversaries and cur_iter >= self.disc_warmup_iters:
            with g_wrapper.optim_context(self), frozen(self.discriminators):
                g_losses.update(self._generator_adversarial_losses(pairs))
        g_loss, g_log_vars = self.parse_losses(g_losses)
        g_wrapper.update_params(g_loss)
        log_vars.update(g_log_vars)
        return log_vars

    def _split_optim_wrapper(
            self, optim_wrapper: Union[OptimWrapper, OptimWrapperDict]
    ) -> Tuple[OptimWrapper, Optional[OptimWrapper]]:
        if not isinstance(optim_wrapper, OptimWrapperDict):
            if self.adversaries:
                raise TypeError(
                    'AdversarialEncoderDecoder with discriminators needs optim_wrapper=dict('
                    "constructor='SegGANOptimWrapperConstructor', generator=..., discriminator=...)")
            return optim_wrapper, None
        wrappers = dict(optim_wrapper.items())
        return wrappers['generator'], wrappers.get('discriminator')

    def _head_outputs(self, feats: List[Tensor]) -> Tuple[Union[Tensor, Tuple[Tensor, ...]],
                                                          Dict[str, Tensor]]:
        """The decode head's raw forward result and the same maps by name (a single-output mmseg
        head's map is called ``'high'``)."""
        raw = self.decode_head(feats)
        names = getattr(self._head(), 'output_names', ('high', ))
        return raw, dict(zip(names, raw if isinstance(raw, (tuple, list)) else (raw, )))

    def _segmentation_losses(self, feats: List[Tensor], raw_outputs: Union[Tensor, Tuple[Tensor, ...]],
                             data_samples: SampleList) -> Dict[str, Tensor]:
        losses = {f'decode.{k}': v for k, v in
                  self._head().loss_by_feat(raw_outputs, data_samples).items()}
        if self.with_auxiliary_head:
            aux_logits = self.auxiliary_head(feats)
            aux_losses = unwrap(self.auxiliary_head).loss_by_feat(aux_logits, data_samples)
            losses.update({f'aux.{k}': v for k, v in aux_losses.items()})
        return losses

    def _real_and_fake(self, inputs: Tensor, outputs: Dict[str, Tensor],
                       data_samples: SampleList) -> Dict[str, Tuple[Tensor, Tensor]]:
        """What each discriminator sees as real and as fake: the one place that decides it.

        Real: image + one-hot ground truth; fake: image + softmax of the attached output (carrying
        G's gradient). Both are at the output's resolution, with ignored pixels zeroed in both maps.
        """
        gt = self._head()._stack_batch_gt(data_samples)
        pairs = {}
        for name, spec in self.adversaries.items():
            logits = outputs[spec['output']]
            size = logits.shape[2:]
            label = downsample_label(gt, size).squeeze(1)
            valid = (label != self._head().ignore_index).unsqueeze(1).to(logits.dtype)
            one_hot = F.one_hot(label.clamp(0, self.num_classes - 1), self.num_classes)
            real_map = one_hot.permute(0, 3, 1, 2).to(logits.dtype) * valid
            fake_map = logits.softmax(dim=1) * valid
            image = resize(inputs, size=size, mode='bilinear', align_corners=False)
            pairs[name] = (torch.cat([image, real_map], dim=1), torch.cat([image, fake_map], dim=1))
        return pairs

    def _should_update_discriminators(self, cur_iter: int) -> bool:
        if cur_iter % self.disc_update_interval:
            return False
        if self.disc_update_prob >= 1.0:
            return True
        return np.random.default_rng([self.disc_update_seed, cur_iter]).random() < self.disc_update_prob

    def _update_discriminators(self, pairs: Dict[str, Tuple[Tensor, Tensor]],
                               d_wrapper: OptimWrapper) -> Dict[str, Tensor]:
        batch = {name: torch.cat([real, fake.detach()]) for name, (real, fake) in pairs.items()}
        with d_wrapper.optim_context(self.discriminators):
            scores = self.discriminators(batch)
            losses = {}
            for name, (real, _) in pairs.items():
                real_scores, fake_scores = scores[name].split(real.shape[0])
                losses[f'disc_{name}.loss_real'] = 0.5 * self.gan_loss(real_scores, True, True)
                losses[f'disc_{name}.loss_fake'] = 0.5 * self.gan_loss(fake_scores, False, True)
                losses[f'disc_{name}.score_real'] = self.gan_loss.score(real_scores.detach())
                losses[f'disc_{name}.score_fake'] = self.gan_loss.score(fake_scores.detach())
        d_loss, log_vars = self.parse_losses(losses)
        d_wrapper.update_params(d_loss)
        log_vars['disc_loss'] = log_vars.pop('loss')
        return log_vars

    def _generator_adversarial_losses(
            self, pairs: Dict[str, Tuple[Tensor, Tensor]]) -> Dict[str, Tensor]:
        """G's adversarial terms through the unwrapped (frozen) discriminators, so DDP never waits
        for discriminator gradients in the G step."""
        discriminators = self._discriminators()
        losses = {}
        for name, (_, fake) in pairs.items():
            spec = self.adversaries[name]
            if not spec['grad_to_generator']:
                fake = fake.detach()
            scores = discriminators[name](fake)
            losses[f'adv.loss_{name}'] = spec['loss_weight'] * self.gan_loss(scores, True, False)
        return losses

    # ---------------------------------------------------------------------------------- inference

    def encode_decode(self, inputs: Tensor, batch_img_metas: List[dict]) -> Tensor:
        """Full-resolution logits of the inputs, (N, C, H, W) (works under separate DDP too)."""
        return self._head().predict(self.extract_feat(inputs), batch_img_metas, self.test_cfg)

    def predict(self, inputs: Tensor, data_samples: OptSampleList = None) -> SampleList:
        """As :meth:`EncoderDecoder.predict`; in ``'whole'`` mode also sets ``pred_sem_seg_low``."""
        if (self.test_cfg or {}).get('mode', 'whole') != 'whole' or data_samples is None:
            return super().predict(inputs, data_samples)
        batch_img_metas = [sample.metainfo for sample in data_samples]
        _, outputs = self._head_outputs(self.extract_feat(inputs))
        high = self._head().predict_by_feat(outputs['high'], batch_img_metas)
        results = self.postprocess_result(high, data_samples)
        if 'low' in outputs:
            self._attach_low_res_predictions(outputs['low'], inputs.shape[2:], results)
        return results

    def postprocess_result(self, seg_logits: Tensor,
                           data_samples: OptSampleList = None) -> SampleList:
        """As :meth:`EncoderDecoder.postprocess_result`, after swapping the ``test_cfg.flip_pairs``
        channels (e.g. left/right arm) of horizontally flipped views."""
        if data_samples is not None:
            seg_logits = self._swap_flipped_pairs(seg_logits, data_samples)
        return super().postprocess_result(seg_logits, data_samples)

    def _swap_flipped_pairs(self, seg_logits: Tensor, data_samples: SampleList) -> Tensor:
        pairs = self.test_cfg.get('flip_pairs') if self.test_cfg else None
        if not pairs:
            return seg_logits
        order = list(range(seg_logits.shape[1]))
        for left, right in pairs:
            order[left], order[right] = right, left
        swapped = seg_logits.clone()
        for i, sample in enumerate(data_samples):
            if sample.metainfo.get('flip') and sample.metainfo.get('flip_direction') == 'horizontal':
                swapped[i] = seg_logits[i, order]
        return swapped

    def _attach_low_res_predictions(self, low: Tensor, input_size: Tuple[int, int],
                                    results: SampleList) -> None:
        low = self._swap_flipped_pairs(low, results)
        scale_h, scale_w = low.shape[2] / input_size[0], low.shape[3] / input_size[1]
        for i, sample in enumerate(results):
            meta = sample.metainfo
            left, right, top, bottom = meta.get('img_padding_size', meta.get('padding_size', [0] * 4))
            h_end = low.shape[2] - int(round(bottom * scale_h))
            w_end = low.shape[3] - int(round(right * scale_w))
            region = low[i, :, int(round(top * scale_h)):h_end, int(round(left * scale_w)):w_end]
            if meta.get('flip'):
                region = region.flip(dims=(2, ) if meta.get('flip_direction') == 'horizontal' else (1, ))
            sample.set_data({'pred_sem_seg_low': PixelData(data=region.argmax(dim=0, keepdim=True))})
