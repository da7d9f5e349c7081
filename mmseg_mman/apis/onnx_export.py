"""Export a parser's test-time network to ONNX and check onnxruntime against PyTorch.

The ONNX file has one input ``input`` (N, 3, H, W) float32, the image after the config's data
preprocessor (mean/std normalised, channel order converted), and one output ``seg_logits``
(N, num_classes, H, W) float32 logits at the input resolution: the arg-max over channels is the
prediction. Batch, height and width are dynamic. Its metadata (``mmseg_mman.*`` properties) hold
the class count, class names and palette, so ``tools/infer.py`` can check that the file fits the
config and colour the results.
"""
import importlib
import json
import os
import warnings
from types import ModuleType
from typing import Dict, List, Sequence, Tuple

import numpy as np
import torch
import torch.nn as nn
from mmseg.structures import SegDataSample

from .inference_network import InferenceNetwork

ONNX_INPUT = 'input'
ONNX_OUTPUT = 'seg_logits'
METADATA_PREFIX = 'mmseg_mman.'
DYNAMIC_AXES = {0: 'batch', 2: 'height', 3: 'width'}


def import_deploy_package(name: str) -> ModuleType:
    """``onnx`` or ``onnxruntime``, with an install hint when missing."""
    try:
        return importlib.import_module(name)
    except ImportError as error:
        raise ImportError(f'{name} is needed for ONNX export and inference: '
                          'pip install -r requirements/deploy.txt') from error


def onnx_metadata(dataset_meta: dict, align_corners: bool) -> Dict[str, str]:
    """The ``mmseg_mman.*`` metadata properties written into an exported file."""
    return {
        f'{METADATA_PREFIX}num_classes': str(len(dataset_meta['classes'])),
        f'{METADATA_PREFIX}classes': json.dumps(list(dataset_meta['classes'])),
        f'{METADATA_PREFIX}palette': json.dumps([list(map(int, c)) for c in dataset_meta['palette']]),
        f'{METADATA_PREFIX}output': 'logits',
        f'{METADATA_PREFIX}align_corners': json.dumps(bool(align_corners)),
    }


def export_onnx(segmentor: nn.Module,
                out_file: str,
                shape: Tuple[int, int] = (512, 512),
                opset: int = 17) -> None:
    """Write the :class:`InferenceNetwork` of ``segmentor`` (with ``dataset_meta`` set, e.g. by
    :func:`init_parser`) to ``out_file``, traced at ``shape`` with dynamic batch, height, width.

    Uses torch's TorchScript-based exporter (``dynamo=False``): it needs only torch and handles the
    data-dependent ``resize`` calls with dynamic axes; the default (dynamo) exporter of torch >= 2.9
    would also need the onnxscript package.
    """
    onnx = import_deploy_package('onnx')
    network = InferenceNetwork(segmentor).eval()
    dummy = torch.zeros(1, 3, *shape)
    with warnings.catch_warnings(), torch.no_grad():
        warnings.filterwarnings('ignore', message='You are using the legacy TorchScript-based ONNX')
        # InstanceNorm without running statistics normalises by the input's statistics in eval
        # mode too, so its "train=True" export is exact.
        warnings.filterwarnings('ignore', message=".*operator 'instance_norm' is set to train=True")
        torch.onnx.export(
            network, (dummy, ),
            out_file,
            dynamo=False,
            opset_version=opset,
            input_names=[ONNX_INPUT],
            output_names=[ONNX_OUTPUT],
            dynamic_axes={
                ONNX_INPUT: DYNAMIC_AXES,
                ONNX_OUTPUT: DYNAMIC_AXES
            })
    model = onnx.load(out_file)
    onnx.helper.set_model_props(model, onnx_metadata(segmentor.dataset_meta, segmentor.align_corners))
    onnx.checker.check_model(model)
    onnx.save(model, out_file)


def preprocessed_random_images(segmentor: nn.Module,
                               sizes: Sequence[Tuple[int, int]],
                               seed: int = 0) -> List[torch.Tensor]:
    """One random uint8 image per size, passed through the segmentor's data preprocessor (which
    may pad it, e.g. to a multiple of the output stride): (1, 3, H', W') float tensors as the
    network sees them."""
    rng = np.random.default_rng(seed)
    batches = []
    for height, width in sizes:
        image = torch.from_numpy(rng.integers(0, 256, (3, height, width), dtype=np.uint8))
        data = dict(inputs=[image], data_samples=[SegDataSample()])
        batches.append(segmentor.data_preprocessor(data, False)['inputs'])
    return batches


def compare_onnx_with_pytorch(segmentor: nn.Module, onnx_file: str,
                              sizes: Sequence[Tuple[int, int]]) -> List[dict]:
    """Run PyTorch and onnxruntime on one random image per size.

    Returns:
        Per size: ``size`` (of the image) and ``input_size`` (of the network input, after any
        padding by the data preprocessor), ``max_abs_diff`` and ``max_abs_logit`` (largest logit
        magnitude from PyTorch), ``argmax_agreement`` (fraction of pixels with the same class).
    """
    ort = import_deploy_package('onnxruntime')
    session = ort.InferenceSession(os.fspath(onnx_file), providers=['CPUExecutionProvider'])
    network = InferenceNetwork(segmentor).eval()
    reports = []
    for size, inputs in zip(sizes, preprocessed_random_images(segmentor, sizes)):
        with torch.no_grad():
            expected = network(inputs).cpu().numpy()
        found = session.run([ONNX_OUTPUT], {ONNX_INPUT: inputs.cpu().numpy()})[0]
        if found.shape != expected.shape:
            raise ValueError(f'{onnx_file}: output shape {found.shape} for an input of size {size}, '
                             f'PyTorch gives {expected.shape}')
        reports.append(
            dict(
                size=tuple(size),
                input_size=tuple(inputs.shape[2:]),
                max_abs_diff=float(np.abs(found - expected).max()),
                max_abs_logit=float(np.abs(expected).max()),
                argmax_agreement=float((found.argmax(1) == expected.argmax(1)).mean())))
    return reports
