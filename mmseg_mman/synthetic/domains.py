"""A synthetic two-domain segmentation task on which output-space domain adaptation can be seen on a CPU.

Every scene has the same layout prior: class 0 fills a band at the top, class 2 a band at the bottom,
class 1 the band between them plus one small square anywhere. Both domains draw scenes from that
prior; they differ only in colour:

- source: pixel = colour of its class (``SOURCE_COLOURS``) + Gaussian noise;
- target: the source colours with their RGB channels permuted (``TARGET_CHANNEL_ORDER``) and their
  contrast reduced around grey (``TARGET_CONTRAST``), + the same noise. Each target class then looks
  most like a *different* source class, so a model trained on the source alone mislabels the target,
  while the layout of its predictions betrays the shift: exactly what a discriminator on the output
  space (AdaptSegNet) can detect and correct, without target labels.

Layout written under ``out_dir`` (mmseg's ``BaseSegDataset`` layout; images are lossless RGB PNGs,
labels single-channel uint8 PNGs with values 0..2)::

    out_dir/
    ├── source/img_dir/{train,val}/NNNNNN.png
    ├── source/ann_dir/{train,val}/NNNNNN.png
    ├── target/img_dir/{train,val}/NNNNNN.png
    └── target/ann_dir/val/NNNNNN.png          target training labels are not written: none are used
"""
import os
import os.path as osp
from typing import Dict, Tuple

import cv2
import numpy as np
from mmengine.utils import mkdir_or_exist

CLASSES = ('top band', 'middle band', 'bottom band')
PALETTE = [[230, 120, 40], [60, 170, 80], [40, 90, 200]]
DOMAINS = ('source', 'target')
SPLITS = ('train', 'val')
# RGB colour of each class in the source domain.
SOURCE_COLOURS = np.array([[220, 70, 50], [60, 190, 80], [50, 80, 210]], np.float32)
# Target colour = source colour with channels reordered, then pulled towards grey.
TARGET_CHANNEL_ORDER = (1, 2, 0)
TARGET_CONTRAST = 0.6
GREY = 128.0
NOISE_STD = 25.0
MIN_IMG_SIZE = 16


def sample_layout(rng: np.random.Generator, size: int) -> np.ndarray:
    """``(size, size)`` uint8 label map: bands 0 / 1 / 2 from top to bottom, plus a class-1 square
    of side ``size // 8`` at a random place."""
    top_end = int(rng.integers(round(0.2 * size), round(0.45 * size) + 1))
    bottom_start = int(rng.integers(round(0.55 * size), round(0.8 * size) + 1))
    label = np.ones((size, size), np.uint8)
    label[:top_end] = 0
    label[bottom_start:] = 2
    side = max(1, size // 8)
    y, x = (int(v) for v in rng.integers(0, size - side + 1, 2))
    label[y:y + side, x:x + side] = 1
    return label


def domain_colours(domain: str) -> np.ndarray:
    """(3 classes, 3 RGB) float32 mean colours of a domain."""
    if domain == 'source':
        return SOURCE_COLOURS.copy()
    if domain == 'target':
        permuted = SOURCE_COLOURS[:, list(TARGET_CHANNEL_ORDER)]
        return GREY + TARGET_CONTRAST * (permuted - GREY)
    raise ValueError(f'domain must be one of {DOMAINS}, got {domain!r}')


def render_image(rng: np.random.Generator, label: np.ndarray, domain: str) -> np.ndarray:
    """``(H, W, 3)`` uint8 RGB image of ``label`` in the colours of ``domain``, with pixel noise."""
    image = domain_colours(domain)[label] + rng.normal(0.0, NOISE_STD, (*label.shape, 3))
    return np.clip(np.round(image), 0, 255).astype(np.uint8)


def _prepare_folder(folder: str, overwrite: bool) -> None:
    """Create ``folder``; refuse a non-empty one unless ``overwrite``, which removes its PNGs only."""
    mkdir_or_exist(folder)
    existing = sorted(os.listdir(folder))
    if not existing:
        return
    foreign = [name for name in existing if not name.endswith('.png')]
    if foreign or not overwrite:
        raise FileExistsError(
            f'{folder} is not empty ({len(existing)} files, e.g. {(foreign or existing)[0]}); choose an '
            'empty out_dir' + ('' if foreign else ' or pass overwrite=True (--overwrite)'))
    for name in existing:
        os.remove(osp.join(folder, name))


def write_split(out_dir: str, domain: str, split: str, num_images: int, img_size: int, seed: int,
                overwrite: bool) -> Dict[str, object]:
    """Write one domain's split; return its folders and the pixel share of each class."""
    img_dir = osp.join(out_dir, domain, 'img_dir', split)
    ann_dir = osp.join(out_dir, domain, 'ann_dir', split)
    with_labels = not (domain == 'target' and split == 'train')
    for folder in (img_dir, ann_dir) if with_labels else (img_dir, ):
        _prepare_folder(folder, overwrite)
    pixels = np.zeros(len(CLASSES), np.int64)
    for index in range(num_images):
        # One generator per sample: sample i is the same whatever the split sizes.
        rng = np.random.default_rng([seed, DOMAINS.index(domain), SPLITS.index(split), index])
        label = sample_layout(rng, img_size)
        image = render_image(rng, label, domain)
        name = f'{index:06d}.png'
        cv2.imwrite(osp.join(img_dir, name), cv2.cvtColor(image, cv2.COLOR_RGB2BGR))
        if with_labels:
            cv2.imwrite(osp.join(ann_dir, name), label)
        pixels += np.bincount(label.ravel(), minlength=len(CLASSES))
    return dict(
        num_images=num_images,
        img_dir=img_dir,
        ann_dir=ann_dir if with_labels else None,
        class_share=(pixels / max(1, pixels.sum())).round(3).tolist())


def generate_synthetic_domains(out_dir: str,
                               num_train: int = 1000,
                               num_val: int = 200,
                               img_size: int = 32,
                               seed: int = 0,
                               overwrite: bool = False) -> Dict[str, Dict[str, dict]]:
    """Write the two-domain task (see the module docstring for what and where).

    Args:
        out_dir: Root folder; created if missing.
        num_train: Training images per domain.
        num_val: Validation images per domain.
        img_size: Side of the square images, in pixels.
        seed: Same seed, same bytes.
        overwrite: Replace the PNGs of an earlier run instead of refusing a non-empty folder.

    Returns:
        ``{domain: {split: dict(num_images, img_dir, ann_dir, class_share)}}`` (``ann_dir`` is None
        for the unlabelled target training split).
    """
    for name, value in (('num_train', num_train), ('num_val', num_val)):
        if value < 1:
            raise ValueError(f'{name} must be >= 1, got {value}')
    if img_size < MIN_IMG_SIZE:
        raise ValueError(f'img_size must be >= {MIN_IMG_SIZE} pixels, got {img_size}')
    out_dir = osp.abspath(out_dir)
    sizes = dict(train=num_train, val=num_val)
    return {
        domain: {
            split: write_split(out_dir, domain, split, sizes[split], img_size, seed, overwrite)
            for split in SPLITS
        }
        for domain in DOMAINS
    }


def domain_gap_summary() -> Tuple[Tuple[str, Tuple[int, ...], Tuple[int, ...]], ...]:
    """(class, source RGB, target RGB) of every class: the colour shift in numbers."""
    source, target = domain_colours('source'), domain_colours('target')
    return tuple((name, tuple(int(round(v)) for v in s), tuple(int(round(v)) for v in t))
                 for name, s, t in zip(CLASSES, source, target))
