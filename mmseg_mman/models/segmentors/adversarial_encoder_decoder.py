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
# Name of the auxiliary head's output, which discriminators may judge too (AdaptSegNet's multi-level D).
AUX_OUTPUT = 'aux'
UPDATE_ORDERS = ('discriminator_first', 'simultaneous')
ADAPTATION_DEFAULTS = dict(resize_to_input=True)


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
    """Encoder-decoder segmentor trained against discriminators on its label maps: supervised (MMAN,
    Luo et al. ECCV 2018, §3; Eq. 2-5) or for unsupervised domain adaptation (AdaptSegNet, Tsai et al.
    CVPR 2018, §3; Eq. 1-4).

    The generator G is the backbone (+ neck) + decode head (+ auxiliary head). Each discriminator is
    attached to one named output: of the decode head (``'low'``, ``'high'`` or ``'mid'`` for
    :class:`MMANHead`; ``'high'`` for a single-output mmseg head) or ``'aux'``, the auxiliary head's.
    What a discriminator sees as real and fake depends on the mode (:meth:`_real_and_fake`):

    - supervised (``adaptation=None``, MMAN): the image resized to the map, concatenated with the
      label map: the one-hot ground truth is "real", G's softmax is "fake", ignored pixels are zeroed
      in both. One code path covers the paper's variants: no discriminator (CE baseline), Macro only,
      Micro only, MMAN (Macro on ``low`` + Micro on ``high``), Single AN (one global D on ``high``),
      Double AN and Multiple AN (a third D on ``mid``).
    - domain adaptation (``adaptation=dict(...)``, AdaptSegNet): a batch holds labelled source images
      (``inputs``/``data_samples``) and unlabelled target images (``target_inputs``, see
      :class:`DomainAdaptationDataset` and :class:`DomainAdaptationDataPreProcessor`). The
      segmentation losses (decode head + auxiliary head) use the source only; a discriminator sees the
      softmax of the output alone, resized to the input size by default: source maps are "real",
      target maps "fake", and G's adversarial loss pushes target maps towards "real" (source). Target
      labels are never read. One discriminator on ``'high'`` is AdaptSegNet's single-level variant,
      one on ``'aux'`` and one on ``'high'`` its multi-level one.

    :meth:`train_step` runs G forward once per domain and updates G and the discriminators in one of
    two orders (``update_order``): ``'discriminator_first'`` updates the discriminators on detached
    maps, then G on its segmentation losses plus the adversarial losses through the updated, frozen
    discriminators (MMAN); ``'simultaneous'`` takes G's adversarial losses through the discriminators
    as they were, updates G, then the discriminators on the same detached maps, which is the authors'
    AdaptSegNet loop (all gradients first, then every optimizer steps). Prediction is exactly that of
    :class:`EncoderDecoder` on the ``high`` output (no discriminator runs at test time); in ``'whole'``
    mode with a head that has a ``low`` output each result also carries ``pred_sem_seg_low``, the
    arg-max of the low-resolution output over the un-padded, un-flipped image region.

    Args:
        discriminators (dict, optional): ``{name: cfg}``. Each ``cfg`` is a discriminator config plus
            ``output`` (the output it judges, required), ``loss_weight`` (weight of its adversarial
            term for G, default 1.0) and ``grad_to_generator`` (default True; False detaches the map in
            the G step, reproducing the authors' code's defect for Macro D, for comparison only).
            ``in_channels`` is derived: ``image_channels + num_classes`` (supervised) or
            ``num_classes`` (domain adaptation).
        gan_loss (dict): The adversarial loss (:class:`GANLoss`): ``vanilla``, ``lsgan`` or ``hinge``.
        adaptation (dict, optional): Domain-adaptation mode when given (see above), with
            ``resize_to_input`` (default True: the discriminators see the softmax bilinearly resized
            to the input image, as AdaptSegNet; False: at the output's own resolution).
        update_order (str): ``'discriminator_first'`` (default) or ``'simultaneous'``.
        disc_update_interval (int): Update the discriminators every this many iterations.
        disc_update_prob (float): Probability of a discriminator update on such an iteration (the
            authors' code: 0.1). The draw depends only on ``disc_update_seed`` and the iteration, so
            it is identical on every DDP rank and after a resume.
        disc_warmup_iters (int): Iterations at the start during which the discriminators train but G
            gets no adversarial loss.
        image_channels (int): Channels of the input image fed to the discriminators (supervised).

    Shapes:
        train, supervised: ``inputs`` (N, image_channels, H, W) with ``gt_sem_seg`` (N, 1, H, W).
        train, domain adaptation: also ``target_inputs`` (M, image_channels, H_t, W_t); the
            discriminators see (N, C, H, W) source and (M, C, H_t, W_t) target softmax maps.
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
                 adaptation: OptConfigType = None,
                 update_order: str = 'discriminator_first',
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
        if update_order not in UPDATE_ORDERS:
            raise ValueError(f'AdversarialEncoderDecoder: update_order={update_order!r} is not one of '
                             f'{UPDATE_ORDERS}')
        self.update_order = update_order
        self.adaptation = self._adaptation_settings(adaptation)
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

    @staticmethod
    def _adaptation_settings(adaptation: OptConfigType) -> Optional[dict]:
        if adaptation is None:
            return None
        unknown = set(adaptation) - set(ADAPTATION_DEFAULTS)
        if unknown:
            raise ValueError(f'AdversarialEncoderDecoder: adaptation keys {sorted(unknown)} are not '
                             f'known; expected some of {sorted(ADAPTATION_DEFAULTS)}')
        return {**ADAPTATION_DEFAULTS, **adaptation}

    def _output_names(self) -> Tuple[str, ...]:
        """Outputs a discriminator can judge: the decode head's, then the auxiliary head's."""
        names = tuple(getattr(self._head(), 'output_names', ('high', )))
        return names + ((AUX_OUTPUT, ) if self.with_auxiliary_head else ())

    def _add_discriminator(self, name: str, cfg: dict) -> None:
        key = f'model.discriminators.{name}'
        spec = {k: cfg.pop(k) for k in ADVERSARY_KEYS if k in cfg}
        outputs = self._output_names()
        if spec.get('output') not in outputs:
            raise ValueError(
                f'{key}.output={spec.get("output")!r} is not an output of the decode head '
                f'{type(self._head()).__name__}' + (' or the auxiliary head' if self.with_auxiliary_head
                                                    else '') + f', which produce {outputs}')
        if self.adaptation is None:
            expected = self.image_channels + self.num_classes
            seen = (f'image_channels ({self.image_channels}) + num_classes ({self.num_classes}) = '
                    f'{expected} channels')
        else:
            expected = self.num_classes
            seen = f'the softmax of the output alone: num_classes = {expected} channels'
        if cfg.setdefault('in_channels', expected) != expected:
            raise ValueError(
                f'{key}.in_channels={cfg["in_channels"]} disagrees with the decode head: the '
                f'discriminator sees {seen}; leave in_channels unset')
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
        """One update of G and the discriminators in ``update_order`` (G runs forward once per
        domain); the discriminators learn from detached maps, G's adversarial terms go through
        frozen discriminators."""
        g_wrapper, d_wrapper = self._split_optim_wrapper(optim_wrapper)
        cur_iter = MessageHub.get_current_instance().get_info('iter', 0)
        data = self.data_preprocessor(data, True)
        with g_wrapper.optim_context(self):
            g_losses, pairs = self._generator_forward(data)
        update_discriminators = bool(self.adversaries) and self._should_update_discriminators(cur_iter)
        simultaneous = self.update_order == 'simultaneous'
        log_vars = {}
        if update_discriminators and not simultaneous:
            log_vars.update(self._update_discriminators(pairs, d_wrapper))
        if self.adversaries and cur_iter >= self.disc_warmup_iters:
            with g_wrapper.optim_context(self), frozen(self.discriminators):
                g_losses.update(self._generator_adversarial_losses(pairs))
        g_loss, g_log_vars = self.parse_losses(g_losses)
        g_wrapper.update_params(g_loss)
        if update_discriminators and simultaneous:
            log_vars.update(self._update_discriminators(pairs, d_wrapper))
        log_vars.update(g_log_vars)
        return log_vars

    def _generator_forward(self, data: dict) -> Tuple[Dict[str, Tensor], Dict[str, Tuple[Tensor, Tensor]]]:
        """G's segmentation losses and, per discriminator, the (real, fake) maps it judges."""
        inputs, data_samples = data['inputs'], data['data_samples']
        feats = self.extract_feat(inputs)
        raw_outputs, outputs = self._head_outputs(feats, with_aux=self.with_auxiliary_head)
        g_losses = self._segmentation_losses(raw_outputs, outputs, data_samples)
        if self.adaptation is None:
            return g_losses, self._real_and_fake(inputs, outputs, data_samples)
        if not self.adversaries:
            return g_losses, {}
        target_inputs = self._target_inputs(data)
        judged = {spec['output'] for spec in self.adversaries.values()}
        _, target_outputs = self._head_outputs(self.extract_feat(target_inputs),
                                               with_aux=AUX_OUTPUT in judged)
        return g_losses, self._real_and_fake(inputs, outputs, data_samples, target_inputs, target_outputs)

    @staticmethod
    def _target_inputs(data: dict) -> Tensor:
        if data.get('target_inputs') is None:
            raise KeyError(
                'AdversarialEncoderDecoder(adaptation=...): the batch has no target_inputs. Train on '
                "train_dataloader.dataset=dict(type='DomainAdaptationDataset', source=..., target=...) "
                "with model.data_preprocessor.type='DomainAdaptationDataPreProcessor' (mmseg's "
                'SegDataPreProcessor drops the target images)')
        return data['target_inputs']

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

    def _head_outputs(self, feats: List[Tensor], with_aux: bool = False
                      ) -> Tuple[Union[Tensor, Tuple[Tensor, ...]], Dict[str, Tensor]]:
        """The decode head's raw forward result and the same maps by name (a single-output mmseg
        head's map is called ``'high'``); with ``with_aux`` also the auxiliary head's, as ``'aux'``."""
        raw = self.decode_head(feats)
        names = getattr(self._head(), 'output_names', ('high', ))
        outputs = dict(zip(names, raw if isinstance(raw, (tuple, list)) else (raw, )))
        if with_aux:
            outputs[AUX_OUTPUT] = self.auxiliary_head(feats)
        return raw, outputs

    def _segmentation_losses(self, raw_outputs: Union[Tensor, Tuple[Tensor, ...]],
                             outputs: Dict[str, Tensor], data_samples: SampleList) -> Dict[str, Tensor]:
        losses = {f'decode.{k}': v for k, v in
                  self._head().loss_by_feat(raw_outputs, data_samples).items()}
        if self.with_auxiliary_head:
            aux_losses = unwrap(self.auxiliary_head).loss_by_feat(outputs[AUX_OUTPUT], data_samples)
            losses.update({f'aux.{k}': v for k, v in aux_losses.items()})
        return losses

    def _real_and_fake(self, inputs: Tensor, outputs: Dict[str, Tensor], data_samples: SampleList,
                       target_inputs: Optional[Tensor] = None,
                       target_outputs: Optional[Dict[str, Tensor]] = None
                       ) -> Dict[str, Tuple[Tensor, Tensor]]:
        """What each discriminator sees as real and as fake: the one place that decides it.

        Supervised: real is image + one-hot ground truth, fake is image + softmax of the attached
        output; both at the output's resolution, ignored pixels zeroed in both maps. Domain
        adaptation: real is the softmax of the source output, fake that of the target output
        (``target_inputs``/``target_outputs``), each resized to its input image unless
        ``adaptation.resize_to_input`` is False; no labels. Every map carries G's gradient.
        """
        if self.adaptation is not None:
            return {name: (self._domain_map(outputs[spec['output']], inputs),
                           self._domain_map(target_outputs[spec['output']], target_inputs))
                    for name, spec in self.adversaries.items()}
        return self._label_and_prediction(inputs, outputs, data_samples)

    def _domain_map(self, logits: Tensor, inputs: Tensor) -> Tensor:
        """(N, C, H, W) softmax of the logits, at the input size (AdaptSegNet resizes the logits)."""
        if self.adaptation['resize_to_input']:
            logits = resize(logits, size=inputs.shape[2:], mode='bilinear',
                            align_corners=self._head().align_corners)
        return logits.softmax(dim=1)

    def _label_and_prediction(self, inputs: Tensor, outputs: Dict[str, Tensor],
                              data_samples: SampleList) -> Dict[str, Tuple[Tensor, Tensor]]:
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
        pairs = {name: (real.detach(), fake.detach()) for name, (real, fake) in pairs.items()}
        with d_wrapper.optim_context(self.discriminators):
            scores = self._score_real_and_fake(pairs)
            losses = {}
            for name, (real_scores, fake_scores) in scores.items():
                losses[f'disc_{name}.loss_real'] = 0.5 * self.gan_loss(real_scores, True, True)
                losses[f'disc_{name}.loss_fake'] = 0.5 * self.gan_loss(fake_scores, False, True)
                losses[f'disc_{name}.score_real'] = self.gan_loss.score(real_scores.detach())
                losses[f'disc_{name}.score_fake'] = self.gan_loss.score(fake_scores.detach())
        d_loss, log_vars = self.parse_losses(losses)
        d_wrapper.update_params(d_loss)
        log_vars['disc_loss'] = log_vars.pop('loss')
        return log_vars

    def _score_real_and_fake(self, pairs: Dict[str, Tuple[Tensor, Tensor]]
                             ) -> Dict[str, Tuple[Tensor, Tensor]]:
        """Scores of real and fake maps, through the (possibly DDP-wrapped) discriminators: one call
        on the concatenation when every real map has the size of its fake one, else one per side
        (source and target images of different sizes)."""
        if all(real.shape[1:] == fake.shape[1:] for real, fake in pairs.values()):
            scores = self.discriminators({name: torch.cat(pair) for name, pair in pairs.items()})
            return {name: tuple(scores[name].split(pairs[name][0].shape[0])) for name in pairs}
        real_scores = self.discriminators({name: real for name, (real, _) in pairs.items()})
        fake_scores = self.discriminators({name: fake for name, (_, fake) in pairs.items()})
        return {name: (real_scores[name], fake_scores[name]) for name in pairs}

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
