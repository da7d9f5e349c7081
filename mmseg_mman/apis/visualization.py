"""Pictures and numbers made from a predicted label map: the index PNG with the dataset palette,
a side-by-side or overlay picture with a legend of the classes present, per-class pixel fractions."""
import csv
import io
import json
from typing import List, Sequence, Tuple

import cv2
import numpy as np
from PIL import Image

VIS_MODES = ('side-by-side', 'overlay')
PALETTE_PNG_COLOURS = 256
FONT = cv2.FONT_HERSHEY_SIMPLEX
WHITE = (255, 255, 255)
GAP = 4  # pixels between the panels of a picture


def palette_array(palette: Sequence[Sequence[int]]) -> np.ndarray:
    """(num_classes, 3) uint8 RGB colours."""
    return np.asarray(palette, dtype=np.uint8).reshape(-1, 3)


def index_png_bytes(label: np.ndarray, palette: Sequence[Sequence[int]]) -> bytes:
    """An 8-bit palette PNG (PIL mode ``'P'``) whose pixel values are the class ids of ``label``
    (H, W) and whose palette holds the class colours, so viewers show colours and
    ``np.array(Image.open(f))`` gives the ids back."""
    colours = palette_array(palette)
    if len(colours) > PALETTE_PNG_COLOURS:
        raise ValueError(f'an index PNG holds at most {PALETTE_PNG_COLOURS} classes, the model has '
                         f'{len(colours)}')
    image = Image.fromarray(label.astype(np.uint8), mode='P')
    flat = colours.ravel().tolist()
    image.putpalette(flat + [0] * (3 * PALETTE_PNG_COLOURS - len(flat)))
    buffer = io.BytesIO()
    image.save(buffer, format='PNG')
    return buffer.getvalue()


def colour_map(label: np.ndarray, palette: Sequence[Sequence[int]]) -> np.ndarray:
    """(H, W, 3) uint8 RGB picture of ``label`` (H, W) in the class colours."""
    return palette_array(palette)[label]


def overlay_colour_map(image_rgb: np.ndarray,
                       label: np.ndarray,
                       palette: Sequence[Sequence[int]],
                       opacity: float = 0.5) -> np.ndarray:
    """(H, W, 3) uint8 RGB: the colour map of ``label`` blended into ``image_rgb`` (H, W, 3) with
    weight ``opacity``."""
    return cv2.addWeighted(image_rgb, 1 - opacity, colour_map(label, palette), opacity, 0)


def class_fractions(label: np.ndarray, classes: Sequence[str]) -> List[dict]:
    """For every class (present or not): ``class_id``, ``class_name``, ``pixels`` and ``fraction``
    of the image's pixels."""
    counts = np.bincount(label.ravel(), minlength=len(classes))
    total = max(int(label.size), 1)
    return [
        dict(class_id=i, class_name=name, pixels=int(counts[i]), fraction=float(counts[i]) / total)
        for i, name in enumerate(classes)
    ]


def fractions_text(fractions: List[dict], fmt: str) -> str:
    """``fractions`` (from :func:`class_fractions`) as JSON (a list of objects) or CSV (a header
    ``class_id,class_name,pixels,fraction`` and one row per class)."""
    if fmt == 'json':
        return json.dumps(fractions, indent=1)
    if fmt == 'csv':
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(fractions[0]), lineterminator='\n')
        writer.writeheader()
        writer.writerows(fractions)
        return buffer.getvalue()
    raise ValueError(f'fractions format must be json or csv, got {fmt!r}')


def _text_style(image_height: int) -> Tuple[float, int]:
    """Font scale and thickness readable next to an image of this height."""
    scale = float(np.clip(image_height / 500, 0.35, 1.2))
    return scale, 1 if scale < 0.8 else 2


def _percent(fraction: float) -> str:
    """``fraction`` as a percentage with one decimal; a class that is present never shows 0.0%."""
    return f'{100 * fraction:.1f}%' if fraction >= 0.0005 else '<0.1%'


def legend_panel(fractions: List[dict], palette: Sequence[Sequence[int]], image_height: int) -> np.ndarray:
    """(H', W', 3) uint8 RGB white panel listing each class present as a colour swatch, its id,
    name and share of the pixels; H' >= ``image_height``."""
    scale, thickness = _text_style(image_height)
    present = [f for f in fractions if f['pixels'] > 0]
    lines = [f'{f["class_id"]} {f["class_name"]} {_percent(f["fraction"])}' for f in present]
    (_, text_h), baseline = cv2.getTextSize('Ag', FONT, scale, thickness)
    swatch = text_h + baseline
    line_h = swatch + max(4, swatch // 3)
    pad = line_h // 2
    text_w = max(cv2.getTextSize(line, FONT, scale, thickness)[0][0] for line in lines)
    width = 2 * pad + swatch + pad + text_w
    height = max(image_height, 2 * pad + line_h * len(lines))
    panel = np.full((height, width, 3), 255, np.uint8)
    colours = palette_array(palette)
    for row, (entry, line) in enumerate(zip(present, lines)):
        top = pad + row * line_h
        colour = tuple(int(c) for c in colours[entry['class_id']])
        cv2.rectangle(panel, (pad, top), (pad + swatch, top + swatch), colour, -1)
        cv2.rectangle(panel, (pad, top), (pad + swatch, top + swatch), (0, 0, 0), 1)
        cv2.putText(panel, line, (2 * pad + swatch, top + text_h), FONT, scale, (0, 0, 0), thickness,
                    cv2.LINE_AA)
    return panel


def _hstack(panels: List[np.ndarray]) -> np.ndarray:
    """Panels side by side, top-aligned on a white background, ``GAP`` pixels apart."""
    height = max(p.shape[0] for p in panels)
    width = sum(p.shape[1] for p in panels) + GAP * (len(panels) - 1)
    canvas = np.full((height, width, 3), 255, np.uint8)
    left = 0
    for panel in panels:
        canvas[:panel.shape[0], left:left + panel.shape[1]] = panel
        left += panel.shape[1] + GAP
    return canvas


def render_parsing(image_rgb: np.ndarray,
                   label: np.ndarray,
                   classes: Sequence[str],
                   palette: Sequence[Sequence[int]],
                   mode: str = 'side-by-side',
                   opacity: float = 0.5) -> np.ndarray:
    """A picture of a parsing result with a legend of the classes present.

    Args:
        image_rgb: (H, W, 3) uint8 RGB input image.
        label: (H, W) class ids.
        mode: ``'side-by-side'`` (image | colour map | legend) or ``'overlay'`` (the colour map
            blended into the image with ``opacity`` | legend).

    Returns:
        (H', W', 3) uint8 RGB picture.
    """
    if mode not in VIS_MODES:
        raise ValueError(f'mode must be one of {VIS_MODES}, got {mode!r}')
    if mode == 'overlay':
        panels = [overlay_colour_map(image_rgb, label, palette, opacity)]
    else:
        panels = [image_rgb, colour_map(label, palette)]
    legend = legend_panel(class_fractions(label, classes), palette, label.shape[0])
    return _hstack(panels + [legend])
