from typing import Dict, Tuple

from mmcv.transforms import BaseTransform
from mmseg.registry import TRANSFORMS

from .tags import foreground_tags, image_stem


@TRANSFORMS.register_module()
class LoadTagsFromFile(BaseTransform):
    """Image-level tags from a text file, one image per line: ``stem c1 c2 ...``.

    ``stem`` is the image file name without folder and extension; ``c1 c2 ...`` are segmentation class
    ids (1..num_classes - 1). Listing the background 0 is allowed and adds nothing (every image has
    background); a line with a stem alone is an image without foreground (documented, not an error: its
    classifier targets are all zero). The file is read and checked once, at build time: a malformed
    line, an id outside the vocabulary or a stem listed twice is an error naming the file and line; an
    image without a line is an error naming the image and the file.

    Added Keys:

    - tags (tuple[int]): sorted foreground class ids.

    Args:
        tag_file (str): The tag file.
        num_classes (int): Segmentation classes including the background.
    """

    def __init__(self, tag_file: str, num_classes: int) -> None:
        self.tag_file = tag_file
        self.num_classes = num_classes
        self.tags = read_tag_file(tag_file, num_classes)

    def transform(self, results: dict) -> dict:
        stem = image_stem(results)
        if stem not in self.tags:
            raise KeyError(f'{results["img_path"]}: no line for {stem!r} in the tag file {self.tag_file}')
        results['tags'] = self.tags[stem]
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(tag_file={self.tag_file!r}, num_classes={self.num_classes})'


def read_tag_file(path: str, num_classes: int) -> Dict[str, Tuple[int, ...]]:
    """``{stem: tags}`` of a tag file; see :class:`LoadTagsFromFile`."""
    tags: Dict[str, Tuple[int, ...]] = {}
    lines: Dict[str, int] = {}
    with open(path) as f:
        for line_no, line in enumerate(f, 1):
            fields = line.split()
            if not fields:
                continue
            where = f'{path}:{line_no}'
            stem, values = fields[0], fields[1:]
            if stem in lines:
                raise ValueError(f'{where}: {stem!r} is listed twice (first on line {lines[stem]})')
            bad = [v for v in values if not v.lstrip('-').isdigit()]
            if bad:
                raise ValueError(f'{where}: tag(s) {bad} of {stem!r} are not integer class ids')
            tags[stem] = foreground_tags(values, num_classes, f'{where} ({stem})')
            lines[stem] = line_no
    return tags
