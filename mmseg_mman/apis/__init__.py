"""Using a trained parser: inference on one's own images (PyTorch or ONNX), visual output,
published checkpoints, ONNX export and model complexity. The CLIs in ``tools/`` are thin wrappers.

Nothing here registers a component: ``import mmseg_mman`` alone sets up the registries.
``onnx`` and ``onnxruntime`` (requirements/deploy.txt) are imported only when used.
"""
from .complexity import model_complexity
from .images import collect_images, read_image
from .inference import build_segmentor, inference_pipeline, init_parser, load_config, parse_image
from .inference_network import InferenceNetwork
from .onnx_export import compare_onnx_with_pytorch, export_onnx
from .onnx_segmentor import ONNXSegmentor
from .publish import publish_checkpoint
from .video import UnreadableVideoError, open_frames, parse_frames, parse_video
from .visualization import colour_map, index_png_bytes, render_parsing

__all__ = [
    'build_segmentor', 'collect_images', 'colour_map', 'compare_onnx_with_pytorch', 'export_onnx',
    'index_png_bytes', 'inference_pipeline', 'InferenceNetwork', 'init_parser', 'load_config',
    'model_complexity', 'ONNXSegmentor', 'parse_image', 'publish_checkpoint', 'read_image', 'render_parsing',
    'open_frames', 'parse_frames', 'parse_video', 'UnreadableVideoError'
]
