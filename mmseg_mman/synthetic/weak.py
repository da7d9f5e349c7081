"""A synthetic weak-supervision task on which self-erasing attention can be seen on a CPU.

Every object has a small, strongly discriminative part and a large, weakly discriminative one:

- the head, a disc of radius ``HEAD_RADIUS`` x side on top of the body, in a saturated colour of its class
  (``HEAD_COLOURS``): a classifier trained on tags finds it first;
- the body, an ellipse (semi-axes ``BODY_AXES`` x side) about 16 times the head's area, grey
  (``BODY_GREY``) tinted towards its class colour by only ``body_tint`` (default ``BODY_TINT``) under
  pixel noise ``NOISE_STD``: it tells the class apart only when many of its pixels are pooled, which is
  what a classifier whose head region is erased must learn (SeeNet's S_B).

The background is darker grey with the same noise. An image holds 1 to ``max_objects`` objects (default 2;
fewer where the image has no room left, objects never overlap) of different classes (class ids
1..num_classes - 1; 0 is the background); both parts are labelled with the object's class. Why not one
object per image: with one object of 3 classes, a classifier can read the third tag as "neither of the
others" and never localise it (SeeNet's S_A did exactly that on the blue class).
Labels are written for scoring pseudo labels and for deriving tags only: tag-only training reads the tag
file.

Layout written under ``out_dir`` (mmseg's ``BaseSegDataset`` layout; lossless RGB PNGs, uint8 label PNGs)::

    out_dir/
    ├── img_dir/{train,val}/NNNNNN.png
    ├── ann_dir/{train,val}/NNNNNN.png
    ├── tags/{train,val}.txt           "NNNNNN c1 c2 ..." (LoadTagsFromFile)
    └── generator.json                 the arguments it was written with (:func:`written_with`)
"""
import json
import os.path as osp
from typing import Dict, Iterator, Optional, Tuple

import cv2
import numpy as np
from mmengine.utils import mkdir_or_exist

from .domains import _prepare_folder

SPLITS = ('train', 'val')
#: Saturated RGB head colour of each foreground class (class id = index + 1).
HEAD_COLOURS = np.array([[230, 40, 40], [40, 210, 40], [50, 70, 230], [220, 200, 30]], np.float32)
CLASSES = ('background', 'red', 'green', 'blue', 'yellow')
PALETTE = [[0, 0, 0], [230, 40, 40], [40, 210, 40], [50, 70, 230], [220, 200, 30]]
BODY_GREY = 150.0
BODY_TINT = 0.03
BACKGROUND_GREY = 80.0
NOISE_STD = 30.0
HEAD_RADIUS = 0.06
BODY_AXES = (0.2, 0.3)
PLACEMENT_TRIES = 20
MIN_IMG_SIZE = 32
GENERATOR_FILE = 'generator.json'
# Part ids of :func:`generate_weak_sample`'s part map.
BODY, HEAD = 1, 2


def _object_masks(rng: np.random.Generator, size: int) -> Tuple[np.ndarray, np.ndarray]:
    """Boolean (body, head) masks of one object at a random place inside the image."""
    axes = rng.uniform(*BODY_AXES, size=2) * size
    head = HEAD_RADIUS * size
    margin_x, margin_y = axes[0] + 1, axes[1] + 2 * head + 1
    cx = rng.uniform(margin_x, size - margin_x)
    cy = rng.uniform(margin_y, size - axes[1] - 1)
    yy, xx = np.mgrid[:size, :size]
    body = ((xx - cx) / axes[0])**2 + ((yy - cy) / axes[1])**2 <= 1
    head_mask = (xx - cx)**2 + (yy - (cy - axes[1] - head * 0.6))**2 <= head**2
    return body & ~head_mask, head_mask


def _free_place(rng: np.random.Generator, size: int,
                label: np.ndarray) -> Optional[Tuple[np.ndarray, np.ndarray]]:
    """(body, head) masks of an object that overlaps no object of ``label``, or None after
    ``PLACEMENT_TRIES`` tries."""
    for _ in range(PLACEMENT_TRIES):
        body, head = _object_masks(rng, size)
        if not (label[body | head] > 0).any():
            return body, head
    return None


def generate_weak_sample(rng: np.random.Generator,
                         size: int,
                         num_classes: int,
                         max_objects: int = 2,
                         body_tint: float = BODY_TINT) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One image: ``(image (size, size, 3) uint8 RGB, label (size, size) uint8, parts (size, size) uint8)``
    with parts 0 background, :data:`BODY`, :data:`HEAD`. ``body_tint`` is how far the body's grey moves
    towards the head colour (0: the body says nothing of the class)."""
    if not 2 <= num_classes <= len(CLASSES):
        raise ValueError(f'num_classes={num_classes} must be in 2..{len(CLASSES)} (background included)')
    if size < MIN_IMG_SIZE:
        raise ValueError(f'img_size={size} must be >= {MIN_IMG_SIZE} pixels')
    if max_objects < 1:
        raise ValueError(f'max_objects={max_objects} must be >= 1')
    if not 0.0 <= body_tint <= 1.0:
        raise ValueError(f'body_tint={body_tint} must be in [0, 1]')
    num_objects = int(rng.integers(1, min(max_objects, num_classes - 1) + 1))
    classes = rng.choice(np.arange(1, num_classes), size=num_objects, replace=False)
    label = np.zeros((size, size), np.uint8)
    parts = np.zeros((size, size), np.uint8)
    colour = np.full((size, size, 3), BACKGROUND_GREY, np.float32)
    for cls in classes:
        placed = _free_place(rng, size, label)
        if placed is None:  # no room left: the image has one object fewer (tags come from the label)
            continue
        body, head = placed
        head_colour = HEAD_COLOURS[cls - 1]
        colour[body] = BODY_GREY + body_tint * (head_colour - BODY_GREY)
        colour[head] = head_colour
        label[body | head] = cls
        parts[body] = BODY
        parts[head] = HEAD
    image = np.clip(np.round(colour + rng.normal(0.0, NOISE_STD, colour.shape)), 0, 255).astype(np.uint8)
    return image, label, parts


def weak_samples(num_images: int,
                 size: int,
                 num_classes: int,
                 seed: int,
                 split: str = 'train',
                 max_objects: int = 2,
                 body_tint: float = BODY_TINT) -> Iterator[Tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The samples of one split; sample i is the same whatever the split's size (one generator per
    sample)."""
    for index in range(num_images):
        rng = np.random.default_rng([seed, SPLITS.index(split), index])
        yield generate_weak_sample(rng, size, num_classes, max_objects, body_tint)


def image_tags(label: np.ndarray) -> Tuple[int, ...]:
    """Foreground classes present in ``label``."""
    return tuple(int(c) for c in np.unique(label) if c != 0)


def write_split(out_dir: str, split: str, num_images: int, seed: int, overwrite: bool,
                **sample_args) -> Dict[str, object]:
    """Write one split; ``sample_args`` are :func:`weak_samples`' size, num_classes, max_objects and
    body_tint."""
    img_dir, ann_dir = osp.join(out_dir, 'img_dir', split), osp.join(out_dir, 'ann_dir', split)
    for folder in (img_dir, ann_dir):
        _prepare_folder(folder, overwrite)
    mkdir_or_exist(osp.join(out_dir, 'tags'))
    tag_file = osp.join(out_dir, 'tags', f'{split}.txt')
    pixels = np.zeros(3, np.int64)
    lines = []
    samples = weak_samples(num_images, seed=seed, split=split, **sample_args)
    for index, (image, label, parts) in enumerate(samples):
        name = f'{index:06d}'
        cv2.imwrite(osp.join(img_dir, name + '.png'), cv2.cvtColor(image, cv2.COLOR_RGB2BGR))
        cv2.imwrite(osp.join(ann_dir, name + '.png'), label)
        lines.append(' '.join([name, *map(str, image_tags(label))]) + '\n')
        pixels += np.bincount(parts.ravel(), minlength=3)
    with open(tag_file, 'w') as f:
        f.writelines(lines)
    share = pixels / pixels.sum()
    return dict(
        num_images=num_images,
        img_dir=img_dir,
        ann_dir=ann_dir,
        tag_file=tag_file,
        part_share=dict(
            background=round(float(share[0]), 3),
            body=round(float(share[BODY]), 3),
            head=round(float(share[HEAD]), 3)))


def generate_synthetic_weak(out_dir: str,
                            num_train: int = 1000,
                            num_val: int = 200,
                            img_size: int = 64,
                            num_classes: int = 4,
                            seed: int = 0,
                            overwrite: bool = False,
                            max_objects: int = 2,
                            body_tint: float = BODY_TINT) -> Dict[str, dict]:
    """Write the task (see the module docstring for what and where).

    Args:
        out_dir: Root folder; created if missing.
        num_train, num_val: Images per split.
        img_size: Side of the square images, in pixels.
        num_classes: Classes including the background (2..5).
        seed: Same seed, same bytes.
        overwrite: Replace the PNGs of an earlier run instead of refusing a non-empty folder.
        max_objects: Objects per image at most (of different classes; 1 to max_objects, fewer where
            the image has no room left).
        body_tint: How far the body's grey moves towards its class colour (module docstring).

    Returns:
        ``{split: dict(num_images, img_dir, ann_dir, tag_file, part_share)}``.
    """
    for name, value in (('num_train', num_train), ('num_val', num_val)):
        if value < 1:
            raise ValueError(f'{name} must be >= 1, got {value}')
    sample_args = dict(size=img_size, num_classes=num_classes, max_objects=max_objects, body_tint=body_tint)
    generate_weak_sample(np.random.default_rng(0), **sample_args)  # checks the arguments first
    out_dir = osp.abspath(out_dir)
    sizes = dict(train=num_train, val=num_val)
    result = {
        split: write_split(out_dir, split, sizes[split], seed, overwrite, **sample_args)
        for split in SPLITS
    }
    with open(osp.join(out_dir, GENERATOR_FILE), 'w') as f:
        json.dump(
            dict(
                num_train=num_train,
                num_val=num_val,
                img_size=img_size,
                num_classes=num_classes,
                seed=seed,
                max_objects=max_objects,
                body_tint=body_tint), f)
    return result


def written_with(out_dir: str) -> Optional[dict]:
    """The arguments :func:`generate_synthetic_weak` wrote ``out_dir`` with (all but ``overwrite``), or
    None for a folder it did not write (or wrote before it recorded them)."""
    path = osp.join(out_dir, GENERATOR_FILE)
    if not osp.isfile(path):
        return None
    with open(path) as f:
        return json.load(f)
