"""Run an exported ONNX parser with onnxruntime behind mmseg's segmentor interface."""
import json
import os
from typing import Dict, List, Optional

import torch
from mmengine.config import Config
from mmseg.models.segmentors import BaseSegmentor
from mmseg.utils import OptSampleList, SampleList
from torch import Tensor

from .inference import resolve_dataset_meta
from .onnx_export import METADATA_PREFIX, ONNX_INPUT, ONNX_OUTPUT, import_deploy_package


def onnxruntime_providers(device: str) -> List[str]:
    """onnxruntime execution providers for ``'cpu'`` or ``'cuda[:i]'``."""
    if device == 'cpu':
        return ['CPUExecutionProvider']
    if device.startswith('cuda'):
        available = import_deploy_package('onnxruntime').get_available_providers()
        if 'CUDAExecutionProvider' not in available:
            raise RuntimeError(f'--device {device}: this onnxruntime has no CUDAExecutionProvider '
                               f'(available: {available}); install onnxruntime-gpu or use --device cpu')
        return ['CUDAExecutionProvider', 'CPUExecutionProvider']
    raise ValueError(f'device must be cpu or cuda[:N], got {device!r}')


class ONNXSegmentor(BaseSegmentor):
    """A segmentor whose network is an ONNX file written by
    :func:`mmseg_mman.apis.onnx_export.export_onnx`, run with onnxruntime.

    The config supplies what surrounds the network in PyTorch, so results match
    :func:`mmseg_mman.apis.init_parser`'s model: the data preprocessor (built from
    ``cfg.model.data_preprocessor``) and ``postprocess_result`` (un-padding, resizing the logits to
    the original image, arg-max). ``test_step`` therefore works with :func:`parse_image` and with
    mmseg's ``inference_model``. Training is not possible.

    The file must have the input ``input`` (N, 3, H, W) and the output ``seg_logits``; a file
    whose metadata give another class count than the config is refused. Classes and palette come
    from the file's metadata, else from the config's dataset.

    Args:
        onnx_file (str): The exported model.
        cfg (Config): The config the model was trained with.
        device (str): ``'cpu'`` or ``'cuda[:i]'`` (needs onnxruntime-gpu).

    Shapes:
        :meth:`encode_decode`: (N, 3, H, W) preprocessed images -> (N, num_classes, H, W) logits.
    """

    def __init__(self, onnx_file: str, cfg: Config, device: str = 'cpu') -> None:
        super().__init__(data_preprocessor=cfg.model.data_preprocessor)
        ort = import_deploy_package('onnxruntime')
        self.onnx_file = os.fspath(onnx_file)
        self.session = ort.InferenceSession(self.onnx_file, providers=onnxruntime_providers(device))
        self._check_inputs_and_outputs()
        head_cfg = cfg.model.decode_head
        self.num_classes = self.out_channels = int(head_cfg.num_classes)
        self.align_corners = bool(head_cfg.get('align_corners', False))
        metadata = self._metadata()
        self._check_class_count(metadata, cfg)
        saved_meta = dict(classes=json.loads(metadata[f'{METADATA_PREFIX}classes']),
                          palette=json.loads(metadata[f'{METADATA_PREFIX}palette'])) \
            if f'{METADATA_PREFIX}classes' in metadata else None
        self.dataset_meta = resolve_dataset_meta(cfg, dict(dataset_meta=saved_meta), self.num_classes,
                                                 self.onnx_file)
        self.cfg = cfg

    def _metadata(self) -> Dict[str, str]:
        return dict(self.session.get_modelmeta().custom_metadata_map)

    def _check_inputs_and_outputs(self) -> None:
        inputs, outputs = self.session.get_inputs(), self.session.get_outputs()
        fits = (
            len(inputs) == 1 and inputs[0].name == ONNX_INPUT and len(inputs[0].shape) == 4
            and inputs[0].shape[1] == 3 and ONNX_OUTPUT in [o.name for o in outputs])
        if not fits:
            found_in = [(i.name, i.shape) for i in inputs]
            found_out = [(o.name, o.shape) for o in outputs]
            raise ValueError(
                f'{self.onnx_file} is not a parser exported by tools/deployment/export_onnx.py: expected '
                f'one input {ONNX_INPUT!r} of shape (N, 3, H, W) and an output {ONNX_OUTPUT!r}, found '
                f'inputs {found_in} and outputs {found_out}')

    def _check_class_count(self, metadata: Dict[str, str], cfg: Config) -> None:
        if self.num_classes < 2:
            raise ValueError(f'{cfg.filename}: ONNX inference needs num_classes >= 2 (arg-max '
                             f'prediction), got {self.num_classes}')
        saved = metadata.get(f'{METADATA_PREFIX}num_classes')
        if saved is not None and int(saved) != self.num_classes:
            raise ValueError(f'{self.onnx_file} predicts {saved} classes but {cfg.filename} has '
                             f'num_classes={self.num_classes}: use the config it was exported from')

    def encode_decode(self, inputs: Tensor, batch_img_metas: Optional[List[dict]] = None) -> Tensor:
        """Logits of the ONNX network, checked to be (N, num_classes, H, W)."""
        logits = self.session.run([ONNX_OUTPUT], {ONNX_INPUT: inputs.detach().cpu().numpy()})[0]
        expected = (inputs.shape[0], self.num_classes, *inputs.shape[2:])
        if tuple(logits.shape) != tuple(expected):
            raise ValueError(f'{self.onnx_file} returned {ONNX_OUTPUT} of shape {tuple(logits.shape)} '
                             f'for an input of shape {tuple(inputs.shape)}; expected {expected} '
                             f'(num_classes={self.num_classes} from the config)')
        return torch.from_numpy(logits)

    def predict(self, inputs: Tensor, data_samples: OptSampleList = None) -> SampleList:
        """As ``EncoderDecoder.predict`` in ``'whole'`` mode."""
        return self.postprocess_result(self.encode_decode(inputs), data_samples)

    def _forward(self, inputs: Tensor, data_samples: OptSampleList = None) -> Tensor:
        return self.encode_decode(inputs)

    def extract_feat(self, inputs: Tensor) -> List[Tensor]:
        raise NotImplementedError(
            f'{type(self).__name__} runs the exported network end to end; it has no feature extractor')

    def loss(self, inputs: Tensor, data_samples: SampleList) -> dict:
        raise NotImplementedError(f'{type(self).__name__} is for inference only and cannot be trained')
