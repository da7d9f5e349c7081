"""Parameters and FLOPs of an adversarial segmentor's parts: G, each D, the inference network.

FLOPs follow mmengine.analysis (fvcore) conventions: one multiply-add counts as one FLOP;
convolutions, normalisations and interpolation are counted, activations, pooling and additions
are not. Counted on a batch of one.
"""
from typing import List, Set, Tuple

import torch
import torch.nn as nn
from mmengine.analysis import FlopAnalyzer, parameter_count
from mmengine.config import Config
from torch import Tensor

from .inference import build_segmentor
from .inference_network import InferenceNetwork


class GeneratorNetwork(nn.Module):
    """G of a segmentor as trained: backbone (+ neck) and every output a discriminator can judge
    (:meth:`AdversarialEncoderDecoder.named_outputs`, auxiliary head included); no discriminator.

    Shapes:
        in: (N, 3, H, W); out: tuple of the outputs in :attr:`output_names` order.
    """

    def __init__(self, segmentor: nn.Module) -> None:
        super().__init__()
        self.segmentor = segmentor

    def forward(self, inputs: Tensor) -> Tuple[Tensor, ...]:
        return tuple(self.segmentor.named_outputs(self.segmentor.extract_feat(inputs)).values())


def _analyze(module: nn.Module, inputs: Tensor) -> FlopAnalyzer:
    return FlopAnalyzer(module, (inputs, )).unsupported_ops_warnings(False) \
        .uncalled_modules_warnings(False).tracer_warnings('none')


def _params(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


def _outermost(names: Set[str]) -> Set[str]:
    """The module names of ``names`` none of whose ancestors is in ``names``."""
    return {name for name in names if not any(name.startswith(f'{other}.') for other in names)}


def model_complexity(cfg: Config, shape: Tuple[int, int]) -> List[dict]:
    """One row per part: ``name``, ``input_shape``, ``params`` and ``flops``.

    Rows: ``G`` (what trains against the D's, every output computed); one ``D <name>`` per
    discriminator, fed what its input component gives it (MMAN: image + label map at the size of
    the judged output; domain adaptation: the softmax map, at the input size by default);
    ``inference`` (:class:`InferenceNetwork`: only what prediction runs, as exported to ONNX; its
    parameters are those of the modules the traced graph calls).
    """
    segmentor = build_segmentor(cfg).eval()
    if not hasattr(segmentor, 'generator_modules'):
        raise TypeError(f'{cfg.filename}: model_complexity counts the parts of an '
                        f'AdversarialEncoderDecoder, got {type(segmentor).__name__} (use mmseg\'s '
                        'tools/analysis_tools/get_flops.py for other segmentors)')
    image = torch.zeros(1, 3, *shape)
    generator_params = sum(_params(part) for part in segmentor.generator_modules().values())
    rows = [
        dict(
            name='G (backbone + neck + heads)',
            input_shape=tuple(image.shape),
            params=generator_params,
            flops=_analyze(GeneratorNetwork(segmentor), image).total())
    ]
    input_shapes = segmentor.discriminator_input_shapes(image)
    for name, discriminator in segmentor.discriminator_modules().items():
        pair = torch.zeros(input_shapes[name])
        rows.append(
            dict(
                name=f'D {name} (on {segmentor.judged_output(name)!r})',
                input_shape=tuple(pair.shape),
                params=_params(discriminator),
                flops=_analyze(discriminator, pair).total()))
    network = InferenceNetwork(segmentor)
    analysis = _analyze(network, image)
    counts = parameter_count(network)
    unused = sum(counts[name] for name in _outermost(analysis.uncalled_modules()))
    rows.append(
        dict(
            name='inference (backbone + neck + head prediction path)',
            input_shape=tuple(image.shape),
            params=counts[''] - unused,
            flops=analysis.total()))
    return rows
