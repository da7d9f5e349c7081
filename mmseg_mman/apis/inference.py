"""Load a trained parser for inference and run it on images that come without label files.

:func:`init_parser` is mmseg's ``init_model`` made strict for parsing checkpoints: the discriminators
(never used at test time) are not built, a checkpoint whose class count or layer shapes disagree
with the config is refused with both numbers named instead of being half-loaded with a warning,
and the classes and palette come from the checkpoint's ``meta.dataset_meta`` or else from the
config's dataset. :func:`inference_pipeline` turns the config's test (or TTA) pipeline into one
that takes decoded arrays and never looks for labels; :func:`parse_image` runs either.
"""
import copy
import os
from typing import Dict, List, Optional, Sequence, Union

import mmcv.transforms
import numpy as np
import torch
import torch.nn as nn
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate
from mmengine.registry import init_default_scope
from mmengine.runner import CheckpointLoader
from mmseg.registry import DATASETS, MODELS, TRANSFORMS

from ..engine.runner.config_check import checked_cfg_options
from ..models.segmentors import AdversarialEncoderDecoder
from ..models.utils import check_weights_fit, strip_wrapper_prefix

PathLike = Union[str, os.PathLike]

# Steps that read or check ground truth, besides the annotation loaders (found by class).
LABEL_STEPS = ('CheckSegMapValues', 'LoadDepthAnnotation')


def load_config(config: Union[PathLike, Config], cfg_options: Optional[dict] = None) -> Config:
    """A copy of ``config`` (a file or a :class:`Config`) with ``cfg_options`` merged in (checked:
    :func:`~mmseg_mman.engine.checked_cfg_options`); makes its
    ``default_scope`` (mmseg) the current registry scope."""
    if isinstance(config, Config):
        cfg = copy.deepcopy(config)
    elif isinstance(config, (str, os.PathLike)):
        cfg = Config.fromfile(os.fspath(config))
    else:
        raise TypeError(f'config must be a file name or a Config, got {type(config).__name__}')
    if cfg_options:
        cfg.merge_from_dict(checked_cfg_options(cfg, cfg_options))
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    return cfg


def build_segmentor(cfg: Config, with_discriminators: bool = True) -> nn.Module:
    """The segmentor of ``cfg`` without pretrained weights (nothing is downloaded); without its
    discriminators (never used at test time) unless ``with_discriminators``."""
    model_cfg = copy.deepcopy(cfg.model)
    model_cfg.pretrained = None
    if not with_discriminators and 'discriminators' in model_cfg:
        model_cfg.discriminators = None
    return MODELS.build(model_cfg)


def skip_low_res_prediction(cfg: Config) -> None:
    """Turn off ``model.test_cfg.low_res_prediction`` (set for ``LowResIoUMetric``): parsing images
    reads ``pred_sem_seg`` alone, so the low-resolution branch would be wasted work."""
    if (cfg.model.get('test_cfg') or {}).get('low_res_prediction'):
        cfg.model.test_cfg.low_res_prediction = False


def inference_state_dict(checkpoint: dict, checkpoint_name: str) -> Dict[str, torch.Tensor]:
    """The generator weights of a checkpoint: ``state_dict`` without the discriminators and any
    DDP ``module.`` prefix."""
    if not isinstance(checkpoint, dict):
        raise TypeError(f'{checkpoint_name}: expected a checkpoint dict, got {type(checkpoint).__name__}')
    state_dict = checkpoint.get('state_dict', checkpoint)
    return AdversarialEncoderDecoder.generator_state_dict(strip_wrapper_prefix(state_dict))


def dataset_metainfo(dataset_cfg: dict) -> dict:
    """``metainfo`` of the dataset a config describes (``classes``, ``palette``, ...), without
    reading any data file. Wrappers (``dataset=`` or ``datasets=[...]``) give their first dataset's."""
    while 'dataset' in dataset_cfg:
        dataset_cfg = dataset_cfg['dataset']
    if 'datasets' in dataset_cfg:
        return dataset_metainfo(dataset_cfg['datasets'][0])
    dataset = DATASETS.build(dict(copy.deepcopy(dataset_cfg), lazy_init=True))
    return dataset.metainfo


def resolve_dataset_meta(cfg: Config, checkpoint_meta: Optional[dict], num_classes: int,
                         checkpoint_name: str) -> dict:
    """``{'classes', 'palette'}`` for a model predicting ``num_classes`` classes.

    Taken from the checkpoint's ``meta.dataset_meta`` when it has one; otherwise from the config's
    training dataset (what the model learnt), or its test dataset. A class list whose length is not
    ``num_classes`` is an error.
    """
    saved = (checkpoint_meta or {}).get('dataset_meta') or {}
    if saved.get('classes'):
        candidates = [(f'{checkpoint_name} (meta.dataset_meta)', saved)]
    else:
        candidates = [(f'{cfg.filename} ({key}.dataset)', dataset_metainfo(cfg[key].dataset))
                      for key in ('train_dataloader', 'test_dataloader') if cfg.get(key)]
    for _, meta in candidates:
        if len(meta['classes']) == num_classes:
            classes = tuple(meta['classes'])
            return dict(classes=classes, palette=palette_for(classes, meta.get('palette')))
    found = ', '.join(f'{source}: {len(meta["classes"])}' for source, meta in candidates)
    raise ValueError(f'No class list of {num_classes} names for a model with num_classes={num_classes} '
                     f'(class counts found: {found or "none"}); the checkpoint and config disagree')


def palette_for(classes: Sequence[str], palette: Optional[Sequence[Sequence[int]]]) -> List[List[int]]:
    """``palette`` as a list of ``[r, g, b]``; a fixed-seed random one when there is none (as mmseg's
    ``BaseSegDataset`` does)."""
    if palette is not None and len(palette) >= len(classes):
        return [[int(c) for c in colour] for colour in palette[:len(classes)]]
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, (len(classes), 3)).tolist()


def init_parser(config: Union[PathLike, Config],
                checkpoint: PathLike,
                device: str = 'cpu',
                tta: bool = False,
                cfg_options: Optional[dict] = None) -> nn.Module:
    """Build the segmentor of ``config``, load ``checkpoint`` and set ``dataset_meta`` and ``cfg``.

    The checkpoint goes through mmengine's loader (weights-only for untrusted files once
    :func:`mmseg_mman.utils.register_safe_checkpoint_loader` is installed). With ``tta`` the model is
    wrapped in the config's ``tta_model`` (``SegTTAModel``); the left/right channel swap of flipped
    views happens in the segmentor's ``postprocess_result``.

    Returns:
        The model in eval mode on ``device``, ready for :func:`parse_image`, mmseg's
        ``inference_model`` and ``show_result_pyplot``.
    """
    cfg = load_config(config, cfg_options)
    skip_low_res_prediction(cfg)
    model = build_segmentor(cfg, with_discriminators=False)
    checkpoint_name = os.fspath(checkpoint)
    loaded = CheckpointLoader.load_checkpoint(checkpoint_name, map_location='cpu')
    weights = inference_state_dict(loaded, checkpoint_name)
    check_weights_fit(model, weights, checkpoint_name, cfg.filename)
    model.load_state_dict(weights, strict=True)
    model.dataset_meta = resolve_dataset_meta(cfg, loaded.get('meta'), model.num_classes, checkpoint_name)
    model.cfg = cfg
    if tta:
        model = wrap_for_tta(model, cfg)
    return model.to(device).eval()


def wrap_for_tta(model: nn.Module, cfg: Config) -> nn.Module:
    """``model`` inside the config's ``tta_model``, keeping ``dataset_meta`` and ``cfg``."""
    for key in ('tta_model', 'tta_pipeline'):
        if not cfg.get(key):
            raise KeyError(f'test-time augmentation needs `{key}` in {cfg.filename}, found none')
    tta_model = MODELS.build(dict(copy.deepcopy(cfg.tta_model), module=model))
    tta_model.dataset_meta = model.dataset_meta
    tta_model.cfg = cfg
    return tta_model


def _transform_class(step: dict) -> Optional[type]:
    step_type = step['type']
    return TRANSFORMS.get(step_type) if isinstance(step_type, str) else step_type


def _needs_labels(step: dict) -> bool:
    cls = _transform_class(step)
    name = cls.__name__ if cls is not None else step['type']
    return name in LABEL_STEPS or (cls is not None and issubclass(cls, mmcv.transforms.LoadAnnotations))


def _without_label_steps(steps: Sequence[dict]) -> List[dict]:
    kept = []
    for step in steps:
        if _needs_labels(step):
            continue
        step = copy.deepcopy(step)
        if step['type'] == 'TestTimeAug':
            groups = [[t for t in group if not _needs_labels(t)] for group in step['transforms']]
            step['transforms'] = [group for group in groups if group]
        kept.append(step)
    return kept


def inference_pipeline(cfg: Config, tta: bool = False) -> Compose:
    """The config's test pipeline (``test_dataloader.dataset.pipeline``, as mmseg's inferencer uses)
    or, with ``tta``, its ``tta_pipeline``, for images given as BGR arrays and without labels.

    The image loader becomes ``LoadImageFromNDArray`` (its other arguments kept) and every step
    that loads or checks labels is dropped, inside ``TestTimeAug`` too.

    Data in: ``dict(img=(H, W, 3) uint8 BGR)``; out: what ``PackSegInputs`` packs.
    """
    if tta:
        steps = cfg.get('tta_pipeline')
        source = 'tta_pipeline'
    else:
        test_dataset = (cfg.get('test_dataloader') or {}).get('dataset') or {}
        steps = test_dataset.get('pipeline') or cfg.get('test_pipeline')
        source = 'test_dataloader.dataset.pipeline'
    if not steps:
        raise KeyError(f'{cfg.filename} has no {source}')
    steps = _without_label_steps(steps)
    loader = _transform_class(steps[0])
    if loader is None or not issubclass(loader, mmcv.transforms.LoadImageFromFile):
        raise ValueError(f'{cfg.filename}: {source} must start with an image loader '
                         f'(LoadImageFromFile), found {steps[0]["type"]!r}')
    steps[0]['type'] = 'LoadImageFromNDArray'
    return Compose(steps)


def parse_image(model: nn.Module, pipeline: Compose, image: np.ndarray) -> np.ndarray:
    """Class index of every pixel of ``image``.

    Args:
        model: A segmentor (or its TTA wrapper, or :class:`ONNXSegmentor`) with ``test_step``.
        pipeline: From :func:`inference_pipeline`.
        image: (H, W, 3) uint8, BGR.

    Returns:
        (H, W) int64 label map at the image's size.
    """
    data = pseudo_collate([pipeline(dict(img=image))])
    with torch.no_grad():
        result = model.test_step(data)[0]
    return result.pred_sem_seg.data.reshape(image.shape[:2]).cpu().numpy().astype(np.int64)
