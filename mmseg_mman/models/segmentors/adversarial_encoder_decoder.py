import copy
from dataclasses import dataclass
from typing import ClassVar, Dict, List, Optional, Tuple, Union

import numpy as np
import torch
import torch.nn as nn
from mmengine.config import ConfigDict
from mmengine.logging import MessageHub
from mmengine.model import ModuleDict
from mmengine.optim import OptimWrapper, OptimWrapperDict
from mmengine.structures import PixelData
from mmseg.models.segmentors import EncoderDecoder
from mmseg.registry import MODELS
from mmseg.utils import ConfigType, OptConfigType, OptMultiConfig, OptSampleList, SampleList
from torch import Tensor

from ..adversarial_inputs import BaseAdversarialInput, GeneratorOutputs
from ..utils import frozen, unwrap

# Keys of a discriminator entry read by the segmentor, not passed to the discriminator.
ADVERSARY_KEYS = ('output', 'inputs', 'loss_weight', 'grad_to_generator')
# What a discriminator sees when its entry names no ``inputs``: MMAN's image + label map.
DEFAULT_INPUTS = dict(type='LabelMapInput')
# Name of the auxiliary head's output, which discriminators may judge too (AdaptSegNet's multi-level D).
AUX_OUTPUT = 'aux'
UPDATE_ORDERS = ('discriminator_first', 'simultaneous')
# Side of the zero image whose features give the backbone's strides (a multiple of 32, as backbones need).
STRIDE_PROBE_SIZE = 128
Pairs = Dict[str, Tuple[Tensor, Tensor]]


@dataclass
class Adversary:
    """How one discriminator takes part: the output it judges, what it sees of it
    (:class:`BaseAdversarialInput`), the weight of its term for G, and whether that term's
    gradient reaches G."""
    output: str
    inputs: BaseAdversarialInput
    loss_weight: float = 1.0
    grad_to_generator: bool = True


class DiscriminatorDict(ModuleDict):
    """Discriminators keyed by name, callable as one module so DDP can wrap them together.

    Shapes:
        in: ``{name: (N_name, C_name, H_name, W_name)}``; out: ``{name: scores}``.
    """

    def forward(self, inputs: Dict[str, Tensor]) -> Dict[str, Tensor]:
        return {name: self[name](x) for name, x in inputs.items()}


@MODELS.register_module()
class AdversarialEncoderDecoder(EncoderDecoder):
    """Encoder-decoder segmentor trained against discriminators on its outputs: supervised (MMAN,
    Luo et al. ECCV 2018, §3, Eq. 2-5; Single/Double/Multiple AN) or for unsupervised domain
    adaptation (AdaptSegNet, Tsai et al. CVPR 2018, §3, Eq. 1-4). These are configurations of
    one training step; the variation lives in each discriminator's ``inputs`` component.

    The generator G is the backbone (+ neck) + decode head (+ auxiliary head). Each discriminator
    judges one named output (:attr:`output_names`): the decode head's (``'low'``, ``'high'``,
    ``'mid'`` for :class:`MMANHead`; ``'high'`` for a single-output mmseg head) or the auxiliary
    head's, ``'aux'``. What it sees as real and fake is decided by its input component:

    - :class:`LabelMapInput` (default; MMAN): image + one-hot ground truth vs image + softmax, at
      the output's resolution, ignored pixels zeroed in both.
    - :class:`DomainOutputInput` (AdaptSegNet): source softmax vs target softmax. A batch then
      also holds unlabelled ``target_inputs`` (:class:`DomainAdaptationDataset`,
      :class:`DomainAdaptationDataPreProcessor`), G runs on them too, and the segmentation losses
      use the source only. Target labels are never read.

    :meth:`train_step` runs G forward once per domain and updates G and the discriminators in one
    of two orders (``update_order``): ``'discriminator_first'`` updates the discriminators on the
    detached maps (:meth:`train_discriminators`), then G on its segmentation losses plus the
    adversarial losses through the updated, frozen discriminators (:meth:`train_generator`;
    MMAN); ``'simultaneous'`` takes G's adversarial losses through the discriminators as they
    were, updates G, then the discriminators on the same detached maps (the authors' AdaptSegNet
    loop). Prediction is :class:`EncoderDecoder`'s on the ``'high'`` output and runs no
    discriminator; with ``test_cfg.low_res_prediction=True`` (for ``LowResIoUMetric``) each
    result also carries ``pred_sem_seg_low``, the head's :meth:`predict_low_res`.

    At build time the segmentor measures the strides of the backbone (+ neck) outputs once and gives
    them to a decode head that asks for them (``needs_feature_strides``, :class:`MMANHead`), as it
    gives each discriminator its ``in_channels`` (and a two-branch one its ``image_channels``) from
    what the discriminator sees.

    Others ask the segmentor, not its attributes: :meth:`generator_modules`,
    :meth:`discriminator_modules`, :meth:`generator_state_dict`, :attr:`output_names`,
    :meth:`named_outputs`, :meth:`judged_output` and :meth:`discriminator_input_shapes`.

    Args:
        discriminators (dict, optional): ``{name: cfg}``. Each ``cfg`` is a discriminator config
            plus ``output`` (the output it judges, required), ``inputs`` (what it sees, an
            adversarial-input config, default ``LabelMapInput``), ``loss_weight`` (weight of its
            adversarial term for G, default 1.0) and ``grad_to_generator`` (default True; False
            detaches the map in the G step, reproducing the authors' code's defect for Macro D,
            for comparison only). ``in_channels`` is derived from ``inputs``.
        gan_loss (dict): The adversarial loss (:class:`GANLoss`): ``vanilla``, ``lsgan`` or ``hinge``.
        update_order (str): ``'discriminator_first'`` (default) or ``'simultaneous'``.
        disc_update_interval (int): Update the discriminators every this many iterations.
        disc_update_prob (float): Probability of a discriminator update on such an iteration (the
            authors' code: 0.1). The draw depends only on ``disc_update_seed`` and the iteration, so
            it is identical on every DDP rank and after a resume.
        disc_warmup_iters (int): Iterations at the start during which the discriminators train but G
            gets no adversarial loss.

    Shapes:
        train: ``inputs`` (N, 3, H, W) with ``gt_sem_seg`` (N, 1, H, W); with a domain input also
            ``target_inputs`` (M, 3, H_t, W_t). Each discriminator sees what its input component
            gives (:meth:`discriminator_input_shapes`).
        predict: as :class:`EncoderDecoder` (``pred_sem_seg`` at the original size).
    """

    #: Prefix of the discriminators' entries in :meth:`state_dict`.
    DISCRIMINATOR_PREFIX: ClassVar[str] = 'discriminators.'

    def __init__(self,
                 backbone: ConfigType,
                 decode_head: ConfigType,
                 discriminators: OptConfigType = None,
                 gan_loss: ConfigType = dict(type='GANLoss', loss_type='vanilla'),
                 disc_update_interval: int = 1,
                 disc_update_prob: float = 1.0,
                 disc_update_seed: int = 0,
                 disc_warmup_iters: int = 0,
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
            backbone=backbone,
            decode_head=decode_head,
            neck=neck,
            auxiliary_head=auxiliary_head,
            train_cfg=train_cfg,
            test_cfg=test_cfg,
            data_preprocessor=data_preprocessor,
            pretrained=pretrained,
            init_cfg=init_cfg)
        # EncoderDecoder.inference reads test_cfg by attribute: a plain dict would fail there.
        self.test_cfg = ConfigDict({'mode': 'whole', **(test_cfg or {})})
        if disc_update_interval < 1 or not 0.0 < disc_update_prob <= 1.0:
            raise ValueError(
                f'AdversarialEncoderDecoder: disc_update_interval={disc_update_interval} must be >= 1 '
                f'and disc_update_prob={disc_update_prob} in (0, 1]')
        if update_order not in UPDATE_ORDERS:
            raise ValueError(f'AdversarialEncoderDecoder: update_order={update_order!r} is not one of '
                             f'{UPDATE_ORDERS}')
        self._check_low_res_prediction()
        self.update_order = update_order
        self.gan_loss = MODELS.build(gan_loss)
        self.disc_update_interval = disc_update_interval
        self.disc_update_prob = disc_update_prob
        self.disc_update_seed = disc_update_seed
        self.disc_warmup_iters = disc_warmup_iters
        self._adversaries: Dict[str, Adversary] = {}
        self.discriminators = DiscriminatorDict()
        for name, cfg in (discriminators or {}).items():
            self._add_discriminator(name, copy.deepcopy(dict(cfg)))

    def _init_decode_head(self, decode_head: ConfigType) -> None:
        """Build the decode head, first giving a head that asks for them (``needs_feature_strides``,
        e.g. :class:`MMANHead`) the strides of the stages it selects, measured on the backbone (+ neck)."""
        head_type = decode_head['type']
        head_cls = MODELS.get(head_type) if isinstance(head_type, str) else head_type
        if getattr(head_cls, 'needs_feature_strides', False) and decode_head.get('feature_strides') is None:
            strides = self._feature_strides()
            in_index = decode_head['in_index']
            if not isinstance(in_index, (list, tuple)) or len(in_index) < 2:
                source = 'backbone + neck' if self.with_neck else 'backbone'
                found = f'the {source} returns {len(strides)} feature(s) at strides {strides}'
                raise ValueError(
                    f'model.decode_head ({head_cls.__name__}) needs two or more stages, '
                    f'in_index={in_index!r}; {found}: select several with decode_head.in_index / '
                    'in_channels, or use a backbone (or neck) with multi-level outputs')
            decode_head = dict(decode_head, feature_strides=[strides[i] for i in in_index])
        super()._init_decode_head(decode_head)

    def _feature_strides(self) -> List[int]:
        """Stride of each backbone (+ neck) output, from one forward of a zero image (of the backbone's
        ``img_size`` when it has a fixed one, as ViT-style backbones)."""
        size = getattr(self.backbone, 'img_size', None) or STRIDE_PROBE_SIZE
        size = (size, size) if isinstance(size, int) else tuple(size)
        modules = [self.backbone] + ([self.neck] if self.with_neck else [])
        modes = [module.training for module in modules]
        for module in modules:
            module.eval()
        try:
            with torch.no_grad():
                feats = self.extract_feat(torch.zeros(1, 3, *size))
        finally:
            for module, mode in zip(modules, modes):
                module.train(mode)
        feats = feats if isinstance(feats, (list, tuple)) else [feats]
        return [size[0] // feat.shape[-2] for feat in feats]

    def _check_low_res_prediction(self) -> None:
        if self.test_cfg.get('low_res_prediction') and \
                not hasattr(self._head(), 'predict_low_res'):
            raise ValueError(f'model.test_cfg.low_res_prediction=True, but the decode head '
                             f'{type(self._head()).__name__} has no low-resolution output (predict_low_res); '
                             'remove the setting and LowResIoUMetric')

    def _add_discriminator(self, name: str, cfg: dict) -> None:
        key = f'model.discriminators.{name}'
        spec = {k: cfg.pop(k) for k in ADVERSARY_KEYS if k in cfg}
        if spec.get('output') not in self.output_names:
            raise ValueError(f'{key}.output={spec.get("output")!r} is not an output of the decode head '
                             f'{type(self._head()).__name__}' +
                             (' or the auxiliary head' if self.with_auxiliary_head else '') +
                             f', which produce {self.output_names}')
        inputs = MODELS.build(spec.pop('inputs', DEFAULT_INPUTS))
        if not isinstance(inputs, BaseAdversarialInput):
            raise TypeError(f'{key}.inputs builds a {type(inputs).__name__}, not a BaseAdversarialInput')
        expected = inputs.in_channels(self.num_classes)
        if cfg.setdefault('in_channels', expected) != expected:
            raise ValueError(
                f'{key}.in_channels={cfg["in_channels"]} disagrees with what it sees '
                f'({type(inputs).__name__}): {inputs.describe_channels(self.num_classes)} channels; '
                'leave in_channels unset')
        self._fill_image_channels(key, cfg, inputs)
        self._adversaries[name] = Adversary(inputs=inputs, **spec)
        self.discriminators[name] = MODELS.build(cfg)

    @staticmethod
    def _fill_image_channels(key: str, cfg: dict, inputs: BaseAdversarialInput) -> None:
        """A discriminator with separate image and map branches (``reads_image_channels``) learns
        from its input component where the image ends."""
        disc_type = cfg['type']
        disc_cls = MODELS.get(disc_type) if isinstance(disc_type, str) else disc_type
        if not getattr(disc_cls, 'reads_image_channels', False):
            return
        expected = inputs.leading_image_channels
        if cfg.setdefault('image_channels', expected) != expected:
            raise ValueError(f'{key}.image_channels={cfg["image_channels"]} disagrees with what it sees '
                             f'({type(inputs).__name__}): the first {expected} channels are the image; '
                             'leave image_channels unset')

    def _head(self) -> nn.Module:
        return unwrap(self.decode_head)

    # ------------------------------------------------------------------------ what others ask

    @property
    def output_names(self) -> Tuple[str, ...]:
        """Outputs a discriminator can judge: the decode head's, then the auxiliary head's."""
        names = tuple(getattr(self._head(), 'output_names', ('high', )))
        return names + ((AUX_OUTPUT, ) if self.with_auxiliary_head else ())

    def named_outputs(self, feats: List[Tensor], with_aux: bool = True) -> Dict[str, Tensor]:
        """``{name: logits}`` of every output for backbone (+ neck) features ``feats``; the
        auxiliary head runs only ``with_aux``."""
        return self._forward_heads(feats, with_aux and self.with_auxiliary_head)[1]

    def generator_modules(self) -> Dict[str, nn.Module]:
        """G's parts by state-dict prefix (``backbone``, ``neck``, ``decode_head``,
        ``auxiliary_head``; those present), unwrapped from DDP."""
        names = ('backbone', 'neck', 'decode_head', 'auxiliary_head')
        return {name: unwrap(getattr(self, name)) for name in names if getattr(self, name, None) is not None}

    def discriminator_modules(self) -> Dict[str, nn.Module]:
        """The discriminators by name, unwrapped from DDP (empty for a CE-only model)."""
        return dict(unwrap(self.discriminators).items())

    @classmethod
    def generator_state_dict(cls, state_dict: Dict[str, Tensor]) -> Dict[str, Tensor]:
        """``state_dict`` without the discriminators' entries: what prediction needs."""
        return type(state_dict)(
            (key, value) for key, value in state_dict.items() if not key.startswith(cls.DISCRIMINATOR_PREFIX))

    def judged_output(self, name: str) -> str:
        """The output (of :attr:`output_names`) that discriminator ``name`` judges."""
        return self._adversaries[name].output

    def discriminator_input_shapes(self, inputs: Tensor) -> Dict[str, Tuple[int, ...]]:
        """``{name: shape}`` of one side of each discriminator's (real, fake) pair for images
        ``inputs`` (N, 3, H, W) (and target images of the same size)."""
        with torch.no_grad():
            outputs = self.named_outputs(self.extract_feat(inputs))
        return {
            name: adversary.inputs.input_shape(inputs.shape, outputs[adversary.output].shape,
                                               self.num_classes)
            for name, adversary in self._adversaries.items()
        }

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
            seg_losses, pairs = self.forward_generator(data)
        update_discriminators = bool(self._adversaries) and self.updates_discriminators_at(cur_iter)
        simultaneous = self.update_order == 'simultaneous'
        log_vars = {}
        if update_discriminators and not simultaneous:
            log_vars.update(self.train_discriminators(pairs, d_wrapper))
        adversarial = bool(self._adversaries) and cur_iter >= self.disc_warmup_iters
        log_vars.update(self.train_generator(seg_losses, pairs if adversarial else {}, g_wrapper))
        if update_discriminators and simultaneous:
            log_vars.update(self.train_discriminators(pairs, d_wrapper))
        return log_vars

    def forward_generator(self, data: dict) -> Tuple[Dict[str, Tensor], Pairs]:
        """G's segmentation losses on the labelled images and, per discriminator, the (real, fake)
        maps its input component builds (with G's gradient)."""
        inputs, data_samples = data['inputs'], data['data_samples']
        raw_outputs, outputs = self._forward_heads(self.extract_feat(inputs), self.with_auxiliary_head)
        losses = self._segmentation_losses(raw_outputs, outputs, data_samples)
        if not self._adversaries:
            return losses, {}
        generated = GeneratorOutputs(
            inputs=inputs,
            outputs=outputs,
            data_samples=data_samples,
            ignore_index=self._head().ignore_index,
            align_corners=self._head().align_corners)
        target_judged = {a.output for a in self._adversaries.values() if a.inputs.needs_target_domain}
        if target_judged:
            generated.target_inputs = self._target_inputs(data)
            generated.target_outputs = self.named_outputs(
                self.extract_feat(generated.target_inputs), with_aux=AUX_OUTPUT in target_judged)
        pairs = {
            name: adversary.inputs.real_and_fake(generated, adversary.output)
            for name, adversary in self._adversaries.items()
        }
        return losses, pairs

    def train_discriminators(self, pairs: Pairs, d_wrapper: OptimWrapper) -> Dict[str, Tensor]:
        """One step of every discriminator on the detached (real, fake) ``pairs``."""
        pairs = {name: (real.detach(), fake.detach()) for name, (real, fake) in pairs.items()}
        with d_wrapper.optim_context(self.discriminators):
            losses = {}
            for name, (real_scores, fake_scores) in self._score_real_and_fake(pairs).items():
                losses[f'disc_{name}.loss_real'] = 0.5 * self.gan_loss(real_scores, True, True)
                losses[f'disc_{name}.loss_fake'] = 0.5 * self.gan_loss(fake_scores, False, True)
                losses[f'disc_{name}.score_real'] = self.gan_loss.score(real_scores.detach())
                losses[f'disc_{name}.score_fake'] = self.gan_loss.score(fake_scores.detach())
        d_loss, log_vars = self.parse_losses(losses)
        d_wrapper.update_params(d_loss)
        log_vars['disc_loss'] = log_vars.pop('loss')
        return log_vars

    def train_generator(self, seg_losses: Dict[str, Tensor], pairs: Pairs,
                        g_wrapper: OptimWrapper) -> Dict[str, Tensor]:
        """One step of G on ``seg_losses`` plus the adversarial term of each discriminator in
        ``pairs`` (none during warm-up), taken through the frozen discriminators."""
        losses = dict(seg_losses)
        if pairs:
            with g_wrapper.optim_context(self), frozen(self.discriminators):
                losses.update(self._generator_adversarial_losses(pairs))
        g_loss, log_vars = self.parse_losses(losses)
        g_wrapper.update_params(g_loss)
        return log_vars

    def _target_inputs(self, data: dict) -> Tensor:
        if data.get('target_inputs') is None:
            domain = [name for name, a in self._adversaries.items() if a.inputs.needs_target_domain]
            raise KeyError(
                f'model.discriminators {domain} judge target-domain outputs, but the batch has no '
                "target_inputs. Train on train_dataloader.dataset=dict(type='DomainAdaptationDataset', "
                "source=..., target=...) with model.data_preprocessor.type="
                "'DomainAdaptationDataPreProcessor' (mmseg's SegDataPreProcessor drops the target images)")
        return data['target_inputs']

    def _split_optim_wrapper(
            self, optim_wrapper: Union[OptimWrapper,
                                       OptimWrapperDict]) -> Tuple[OptimWrapper, Optional[OptimWrapper]]:
        if not isinstance(optim_wrapper, OptimWrapperDict):
            if self._adversaries:
                raise TypeError(
                    'AdversarialEncoderDecoder with discriminators needs optim_wrapper=dict('
                    "constructor='SegGANOptimWrapperConstructor', generator=..., discriminator=...)")
            return optim_wrapper, None
        wrappers = dict(optim_wrapper.items())
        return wrappers['generator'], wrappers.get('discriminator')

    def _forward_heads(self, feats: List[Tensor],
                       with_aux: bool) -> Tuple[Union[Tensor, Tuple[Tensor, ...]], Dict[str, Tensor]]:
        """The decode head's raw forward result and every output by name (a single-output mmseg
        head's map is ``'high'``); with ``with_aux`` also the auxiliary head's, as ``'aux'``."""
        raw = self.decode_head(feats)
        names = getattr(self._head(), 'output_names', ('high', ))
        outputs = dict(zip(names, raw if isinstance(raw, (tuple, list)) else (raw, )))
        if with_aux:
            outputs[AUX_OUTPUT] = self.auxiliary_head(feats)
        return raw, outputs

    def _segmentation_losses(self, raw_outputs: Union[Tensor, Tuple[Tensor, ...]], outputs: Dict[str, Tensor],
                             data_samples: SampleList) -> Dict[str, Tensor]:
        losses = {f'decode.{k}': v for k, v in self._head().loss_by_feat(raw_outputs, data_samples).items()}
        if self.with_auxiliary_head:
            aux_losses = unwrap(self.auxiliary_head).loss_by_feat(outputs[AUX_OUTPUT], data_samples)
            losses.update({f'aux.{k}': v for k, v in aux_losses.items()})
        return losses

    def updates_discriminators_at(self, cur_iter: int) -> bool:
        """Whether :meth:`train_step` updates the discriminators at iteration ``cur_iter``: every
        ``disc_update_interval`` iterations, with probability ``disc_update_prob`` drawn from
        ``(disc_update_seed, cur_iter)`` alone (the same on every rank and after a resume)."""
        if cur_iter % self.disc_update_interval:
            return False
        if self.disc_update_prob >= 1.0:
            return True
        return np.random.default_rng([self.disc_update_seed, cur_iter]).random() < self.disc_update_prob

    def _score_real_and_fake(self, pairs: Pairs) -> Pairs:
        """Scores of real and fake maps, through the (possibly DDP-wrapped) discriminators: one call
        on the concatenation when every real map has the size of its fake one, else one per side
        (source and target images of different sizes)."""
        if all(real.shape[1:] == fake.shape[1:] for real, fake in pairs.values()):
            scores = self.discriminators({name: torch.cat(pair) for name, pair in pairs.items()})
            return {name: tuple(scores[name].split(pairs[name][0].shape[0])) for name in pairs}
        real_scores = self.discriminators({name: real for name, (real, _) in pairs.items()})
        fake_scores = self.discriminators({name: fake for name, (_, fake) in pairs.items()})
        return {name: (real_scores[name], fake_scores[name]) for name in pairs}

    def _generator_adversarial_losses(self, pairs: Pairs) -> Dict[str, Tensor]:
        """G's adversarial terms through the unwrapped (frozen) discriminators, so DDP never waits
        for discriminator gradients in the G step."""
        discriminators = self.discriminator_modules()
        losses = {}
        for name, (_, fake) in pairs.items():
            adversary = self._adversaries[name]
            if not adversary.grad_to_generator:
                fake = fake.detach()
            scores = discriminators[name](fake)
            losses[f'adv.loss_{name}'] = adversary.loss_weight * self.gan_loss(scores, True, False)
        return losses

    # ---------------------------------------------------------------------------------- inference

    def encode_decode(self, inputs: Tensor, batch_img_metas: List[dict]) -> Tensor:
        """Full-resolution logits of the inputs, (N, C, H, W) (works under separate DDP too)."""
        return self._head().predict(self.extract_feat(inputs), batch_img_metas, self.test_cfg)

    def predict(self, inputs: Tensor, data_samples: OptSampleList = None) -> SampleList:
        """As :meth:`EncoderDecoder.predict`; with ``test_cfg.low_res_prediction`` (``'whole'``
        mode) each result also carries ``pred_sem_seg_low``, the arg-max of the head's
        :meth:`predict_low_res` (flipped views' left/right channels swapped back)."""
        test_cfg = self.test_cfg
        if not test_cfg.get('low_res_prediction') or test_cfg.get('mode', 'whole') != 'whole' \
                or data_samples is None:
            return super().predict(inputs, data_samples)
        batch_img_metas = [sample.metainfo for sample in data_samples]
        feats = self.extract_feat(inputs)
        head = self._head()
        results = self.postprocess_result(head.predict(feats, batch_img_metas, test_cfg), data_samples)
        low_logits = head.predict_low_res(feats, batch_img_metas, inputs.shape[2:])
        for sample, low in zip(results, low_logits):
            low = self._swap_flipped_pairs(low[None], [sample])[0]
            sample.set_data({'pred_sem_seg_low': PixelData(data=low.argmax(dim=0, keepdim=True))})
        return results

    def postprocess_result(self, seg_logits: Tensor, data_samples: OptSampleList = None) -> SampleList:
        """As :meth:`EncoderDecoder.postprocess_result`, after swapping the ``test_cfg.flip_pairs``
        channels (e.g. left/right arm) of horizontally flipped views."""
        if data_samples is not None:
            seg_logits = self._swap_flipped_pairs(seg_logits, data_samples)
        return super().postprocess_result(seg_logits, data_samples)

    def _swap_flipped_pairs(self, seg_logits: Tensor, data_samples: SampleList) -> Tensor:
        pairs = self.test_cfg.get('flip_pairs')
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
