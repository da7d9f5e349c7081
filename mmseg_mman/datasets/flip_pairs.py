"""Left/right class pairs of a parsing label set: given by name or id, or derived from the names.

A horizontal flip turns a left arm into a right arm, so the flip augmentation
(``RandomFlip(swap_seg_labels=...)``) and the flipped test views
(``model.test_cfg.flip_pairs``) swap the ids of each pair. The pairs depend on
the label order of each dataset; configs and :class:`ParsingFolderDataset`
resolve them here, from class names where possible, so that a pair can never
point at the wrong id.
"""
import re
from typing import Dict, List, Optional, Sequence, Tuple, Union

from mmengine.logging import print_log

ClassRef = Union[str, int]
FlipPairs = List[Tuple[int, int]]

# A name is split into lower-case words at '-', '_', ' ', '.' and camelCase
# boundaries: 'Left-arm', 'left_shoe', 'LeftHand', 'arm right' -> side + rest.
_WORD = re.compile(r'[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+')
SIDES = ('left', 'right')


def _side_and_part(name: str) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """``('left' | 'right', the other words)`` of a class name with exactly one side word."""
    words = [word.lower() for word in _WORD.findall(name)]
    sides = [i for i, word in enumerate(words) if word in SIDES]
    if len(sides) != 1:
        return None
    i = sides[0]
    return words[i], tuple(words[:i] + ['*'] + words[i + 1:])


def derive_flip_pairs(classes: Sequence[str]) -> FlipPairs:
    """``(left id, right id)`` of every pair of class names that differ only in the side word.

    ``Left-arm`` / ``Right-arm``, ``left_shoe`` / ``right_shoe``, ``LeftHand`` / ``RightHand`` and
    ``arm-left`` / ``arm-right`` pair up; case and separators do not matter. A side class without its
    counterpart is not paired (and named in a warning). Sorted by the left id.
    """
    by_part: Dict[Tuple[str, ...], Dict[str, int]] = {}
    for class_id, name in enumerate(classes):
        parsed = _side_and_part(str(name))
        if parsed is not None:
            side, part = parsed
            by_part.setdefault(part, {})[side] = class_id
    pairs, unpaired = [], []
    for sides in by_part.values():
        if len(sides) == 2:
            pairs.append((sides['left'], sides['right']))
        else:
            unpaired += [classes[class_id] for class_id in sides.values()]
    if unpaired:
        print_log(
            f'flip pairs: no counterpart for {unpaired}; these classes are not swapped in flips',
            logger='current')
    return sorted(pairs)


def _class_id(ref: ClassRef, classes: Sequence[str], key: str) -> int:
    if isinstance(ref, bool) or not isinstance(ref, (str, int)):
        raise TypeError(f'{key}: a pair holds class names or ids, got {ref!r}')
    if isinstance(ref, int):
        if not 0 <= ref < len(classes):
            raise ValueError(f'{key}: class id {ref} does not exist (ids 0..{len(classes) - 1})')
        return ref
    if ref not in classes:
        raise ValueError(f'{key}: {ref!r} is not a class; the classes are {list(classes)}')
    return list(classes).index(ref)


def resolve_flip_pairs(classes: Sequence[str],
                       pairs: Optional[Sequence[Sequence[ClassRef]]] = None,
                       key: str = 'flip_pairs') -> FlipPairs:
    """The id pairs of ``pairs`` (names or ids), or :func:`derive_flip_pairs` when ``pairs`` is None.

    Args:
        classes: The class names in id order.
        pairs: ``[('Left-arm', 'Right-arm'), ...]`` or ``[(14, 15), ...]``; ``[]`` for none.
        key: Named in the errors (the config key the pairs come from).

    Raises:
        ValueError: a pair names a class that does not exist, is not two distinct classes, or a
            class appears in two pairs.
    """
    if pairs is None:
        return derive_flip_pairs(classes)
    resolved, seen = [], {}
    for pair in pairs:
        if isinstance(pair, (str, bytes)) or len(pair) != 2:
            raise ValueError(f'{key}: expected pairs of two classes, got {pair!r}')
        left, right = (_class_id(ref, classes, key) for ref in pair)
        if left == right:
            raise ValueError(f'{key}: the pair {tuple(pair)!r} names one class twice')
        for class_id in (left, right):
            if class_id in seen:
                raise ValueError(f'{key}: class {classes[class_id]!r} is in two pairs, '
                                 f'{seen[class_id]!r} and {tuple(pair)!r}')
            seen[class_id] = tuple(pair)
        resolved.append((left, right))
    return resolved
