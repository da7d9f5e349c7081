"""Using a trained parser: inference on one's own images (PyTorch or ONNX), visual output,
published checkpoints, ONNX export and model complexity. The CLIs in ``tools/`` are thin wrappers.

Nothing here registers a component: ``import mmseg_mman`` alone sets up the registries.
``onnx`` and ``onnxruntime`` (requirements/deploy.txt) are imported only when used.
"""
from .complexity import GeneratorNetwork, model_complexity
from .images import (UnreadableImageError, check_unique_stems, collect_images, output_stem,
                     read_image)
from .inference import (build_inference_segmentor, check_weights_fit, dataset_metainfo,
                        inference_pipeline, init_parser, load_config, parse_image,
                        resolve_dataset_meta, wrap_for_tta)
from .inference_network import InferenceNetwork
from .onnx_export import ONNX_INPUT, ONNX_OUTPUT, compare_onnx_with_pytorch, export_onnx
from .onnx_segmentor import ONNXSegmentor
from .publish import publish_checkpoint, published_checkpoint
from .visualization import (VIS_MODES, class_fractions, colour_map, fractions_text,
                            index_png_bytes, render_parsing)

__all__ = [
    'GeneratorNetwork', 'model_complexity', 'UnreadableImageError', 'check_unique_stems',
    'collect_images', 'output_stem', 'read_image', 'build_inference_segmentor', 'check_weights_fit',
    'dataset_metainfo', 'inference_pipeline', 'init_parser', 'load_config', 'parse_image',
    'resolve_dataset_meta', 'wrap_for_tta', 'InferenceNetwork', 'ONNX_INPUT', 'ONNX_OUTPUT',
    'compare_onnx_with_pytorch', 'export_onnx', 'ONNXSegmentor', 'publish_checkpoint',
    'published_checkpoint', 'VIS_MODES', 'class_fractions', 'colour_map', 'fractions_text',
    'index_png_bytes', 'render_parsing'
]
