"""Parameters and FLOPs of an adversarial segmentor's parts: G, each D, the inference network.

FLOPs follow mmengine.analysis (fvcore) conventions: one multiply-add counts as one FLOP;
convolutions, normalisations and interpolation are counted, activations, pooling and additions
are not. Counted on a batch of one.
"""
import copy
from typing import Dict, List, Set, Tuple

import torch
import torch.nn as nn
from mmengine.analysis import FlopAnalyzer, parameter_count
from mmengine.config import Config
from mmseg.registry import MODELS
from torch import Tensor

from .inference_network import InferenceNetwork


class GeneratorNetwork(nn.Module):
    """G of a segmentor as trained: backbone (+ neck) + decode head with every output, plus the
    auxiliary head if any (discriminators excluded).

    Shapes:
        in: (N, 3, H, W); out: tuple of the head outputs (and auxiliary logits).
    """

    def __init__(self, segmentor: nn.Module) -> None:
        super().__init__()
        self.segmentor = segmentor

    def forward(self, inputs: Tensor) -> Tuple[Tensor, ...]:
        feats = self.segmentor.extract_feat(inputs)
        outputs = self.segmentor.decode_head(feats)
        outputs = tuple(outputs) if isinstance(outputs, (tuple, list)) else (outputs, )
        if self.segmentor.with_auxiliary_head:
            outputs += (self.segmentor.auxiliary_head(feats), )
        return outputs


def build_segmentor_for_analysis(cfg: Config) -> nn.Module:
    """The model of ``cfg`` (discriminators included), without loading pretrained weights."""
    model_cfg = copy.deepcopy(cfg.model)
    model_cfg.pretrained = None
    return MODELS.build(model_cfg).eval()


def _analyze(module: nn.Module, inputs: Tensor) -> FlopAnalyzer:
    return FlopAnalyzer(module, (inputs, )).unsupported_ops_warnings(False) \
        .uncalled_modules_warnings(False).tracer_warnings('none')


def _params(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


def _generator_params(segmentor: nn.Module) -> int:
    parts = [segmentor.backbone, segmentor.decode_head]
    parts += [segmentor.neck] if segmentor.with_neck else []
    parts += [segmentor.auxiliary_head] if segmentor.with_auxiliary_head else []
    return sum(_params(part) for part in parts)


def _outermost(names: Set[str]) -> Set[str]:
    """The module names of ``names`` none of whose ancestors is in ``names``."""
    return {name for name in names
            if not any(name.startswith(f'{other}.') for other in names)}


def output_shapes(segmentor: nn.Module, inputs: Tensor) -> Dict[str, Tuple[int, ...]]:
    """``{name: shape}`` of the maps a discriminator can judge for ``inputs``: the decode head's
    outputs (a single-output head's map is ``'high'``) and the auxiliary head's (``'aux'``)."""
    head = segmentor.decode_head
    with torch.no_grad():
        feats = segmentor.extract_feat(inputs)
        outputs = head(feats)
        named = head.named_outputs(outputs) if hasattr(head, 'named_outputs') else dict(high=outputs)
        if segmentor.with_auxiliary_head:
            named['aux'] = segmentor.auxiliary_head(feats)
    return {name: tuple(out.shape) for name, out in named.items()}


def discriminator_input(segmentor: nn.Module, discriminator: nn.Module, judged_shape: Tuple[int, ...],
                        image: Tensor) -> Tensor:
    """A zero input of the shape ``discriminator`` sees: its ``in_channels`` at the size of the map
    it judges, or of the image for domain adaptation with ``resize_to_input``."""
    adaptation = getattr(segmentor, 'adaptation', None)
    size = image.shape[2:] if adaptation and adaptation.get('resize_to_input') else judged_shape[2:]
    return torch.zeros(1, discriminator.in_channels, *size)


def model_complexity(cfg: Config, shape: Tuple[int, int]) -> List[dict]:
    """One row per part: ``name``, ``input_shape``, ``params`` and ``flops``.

    Rows: ``G`` (what trains against the D's, every head output computed); one ``D <name>`` per
    discriminator, fed what it judges (MMAN: image + label map at the size of the head output;
    domain adaptation: the softmax map, at the input size by default); ``inference``
    (:class:`InferenceNetwork`: only what the ``'high'`` prediction needs, as exported to ONNX;
    its parameters are those of the modules the traced graph still calls).
    """
    segmentor = build_segmentor_for_analysis(cfg)
    image = torch.zeros(1, 3, *shape)
    rows = [dict(name='G (backbone + neck + heads)', input_shape=tuple(image.shape),
                 params=_generator_params(segmentor),
                 flops=_analyze(GeneratorNetwork(segmentor), image).total())]
    shapes = output_shapes(segmentor, image)
    for name, discriminator in getattr(segmentor, 'discriminators', {}).items():
        judged = segmentor.adversaries[name]['output']
        pair = discriminator_input(segmentor, discriminator, shapes[judged], image)
        rows.append(dict(name=f'D {name} (on {judged!r})', input_shape=tuple(pair.shape),
                         params=_params(discriminator), flops=_analyze(discriminator, pair).total()))
    network = InferenceNetwork(segmentor)
    analysis = _analyze(network, image)
    counts = parameter_count(network)
    unused = sum(counts[name] for name in _outermost(analysis.uncalled_modules()))
    rows.append(dict(name='inference (backbone + neck + head high path)',
                     input_shape=tuple(image.shape), params=counts[''] - unused,
                     flops=analysis.total()))
    return rows
