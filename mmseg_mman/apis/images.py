"""Find the images a user names (a file, a folder or a glob) and decode them to 3-channel arrays."""
import glob
import os.path as osp
from collections import defaultdict
from typing import Dict, List

import cv2
import mmcv
import numpy as np
from mmengine.utils import scandir

IMAGE_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff', '.webp')
GLOB_CHARACTERS = '*?['


class UnreadableImageError(ValueError):
    """A file that cannot be read or decoded as an image."""


def collect_images(source: str) -> List[str]:
    """The image files ``source`` names, sorted.

    Args:
        source: An image file (taken whatever its extension), a folder (the files directly in it
            with an image extension, case-insensitive) or a glob pattern (``**`` recurses).

    Raises:
        FileNotFoundError: ``source`` is neither an existing path nor a glob pattern.
        ValueError: ``source`` names no image.
    """
    if osp.isfile(source):
        return [source]
    if osp.isdir(source):
        names = scandir(source, suffix=IMAGE_EXTENSIONS, case_sensitive=False)
        paths = sorted(osp.join(source, name) for name in names)
    elif any(char in source for char in GLOB_CHARACTERS):
        paths = sorted(
            path for path in glob.glob(source, recursive=True)
            if osp.isfile(path) and path.lower().endswith(IMAGE_EXTENSIONS))
    else:
        raise FileNotFoundError(f'{source}: no such file or folder (and not a glob pattern)')
    if not paths:
        raise ValueError(f'{source} names no image (looked for {" ".join(IMAGE_EXTENSIONS)} files)')
    return paths


def output_stem(path: str) -> str:
    """File name of ``path`` without its extension: the stem of every output written for it."""
    return osp.splitext(osp.basename(path))[0]


def check_unique_stems(paths: List[str]) -> None:
    """Refuse inputs whose outputs would overwrite each other (``a.jpg`` and ``a.png``, or the same
    name in two folders of a glob)."""
    by_stem: Dict[str, List[str]] = defaultdict(list)
    for path in paths:
        by_stem[output_stem(path)].append(path)
    clashes = {stem: files for stem, files in by_stem.items() if len(files) > 1}
    if clashes:
        stem, files = next(iter(clashes.items()))
        raise ValueError(f'{len(clashes)} output name(s) would be shared by several inputs, e.g. '
                         f'{stem!r}: {", ".join(files)}; rename them or run the folders separately')


def read_image(path: str) -> np.ndarray:
    """Decode ``path`` to an (H, W, 3) uint8 BGR array.

    Grayscale images are replicated to 3 channels, the alpha channel of RGBA images is dropped and
    16-bit images are scaled to 8 bits (OpenCV's ``IMREAD_COLOR``).

    Raises:
        UnreadableImageError: the file cannot be read or decoded.
    """
    try:
        with open(path, 'rb') as f:
            content = f.read()
        image = mmcv.imfrombytes(content, flag='color', backend='cv2') if content else None
    except (OSError, cv2.error) as error:
        raise UnreadableImageError(f'{path}: cannot be read ({error})') from error
    if image is None:
        raise UnreadableImageError(f'{path}: cannot be decoded as an image')
    return image
