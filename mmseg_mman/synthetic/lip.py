"""Synthetic single-person parsing data written in the LIP layout.

Each sample is a stick-figure person facing the camera, drawn from a random pose and outfit on a cluttered
background, with a pixel-exact label map of the 20 LIP classes. It lets the README demo and the end-to-end
tests train and evaluate without the real dataset. Only numpy and cv2 draw the data.

Layout written under ``out_dir`` (the official release's, as mmseg's ``LIPDataset`` reads it)::

    out_dir/
    ├── train_images/<stem>.jpg          RGB JPEG, H x W x 3
    ├── train_segmentations/<stem>.png   single-channel uint8 PNG, H x W, values = LIP class ids 0..19
    ├── val_images/<stem>.jpg
    ├── val_segmentations/<stem>.png
    ├── train_id.txt                     one stem per line
    └── val_id.txt

Left and right are the person's own: a figure facing the camera has its Left-arm (14) on the image's right
side. Left and right limbs of one kind share one material, so only the layout tells them apart and a
horizontal flip of an image must swap the labels of the pairs (14, 15), (16, 17), (18, 19).
"""
import math
import os
import os.path as osp
from dataclasses import dataclass
from enum import IntEnum
from typing import Dict, List, Sequence, Tuple, Union

import cv2
import numpy as np
from mmengine.utils import mkdir_or_exist

Point = Tuple[float, float]

SPLITS = ('train', 'val')
STEM_PREFIX = 'synth'
MIN_IMG_SIZE = 32


class LIPLabel(IntEnum):
    """LIP class ids, in the order of ``mmseg.datasets.LIPDataset.METAINFO['classes']``."""
    BACKGROUND = 0
    HAT = 1
    HAIR = 2
    GLOVE = 3
    SUNGLASSES = 4
    UPPER_CLOTHES = 5
    DRESS = 6
    COAT = 7
    SOCKS = 8
    PANTS = 9
    JUMPSUITS = 10
    SCARF = 11
    SKIRT = 12
    FACE = 13
    LEFT_ARM = 14
    RIGHT_ARM = 15
    LEFT_LEG = 16
    RIGHT_LEG = 17
    LEFT_SHOE = 18
    RIGHT_SHOE = 19


NUM_LIP_CLASSES = len(LIPLabel)

# Sides in person coordinates: x grows towards the image's right, which is the person's own left.
PERSON_LEFT, PERSON_RIGHT = 1, -1
ARM_LABEL = {PERSON_LEFT: LIPLabel.LEFT_ARM, PERSON_RIGHT: LIPLabel.RIGHT_ARM}
LEG_LABEL = {PERSON_LEFT: LIPLabel.LEFT_LEG, PERSON_RIGHT: LIPLabel.RIGHT_LEG}
SHOE_LABEL = {PERSON_LEFT: LIPLabel.LEFT_SHOE, PERSON_RIGHT: LIPLabel.RIGHT_SHOE}


@dataclass(frozen=True)
class ColourFamily:
    """HSV ranges (OpenCV units: hue 0..180, sat/val 0..255) and patterns a material is drawn from."""
    hue: Tuple[int, int]
    sat: Tuple[int, int]
    val: Tuple[int, int]
    patterns: Tuple[str, ...] = ('plain', )


# Each garment has its own colour family, so colour is a cue but not the only one: families overlap in
# hue and differ in saturation, value or pattern, and the background draws from every colour.
MATERIALS: Dict[str, ColourFamily] = {
    'skin': ColourFamily((4, 20), (40, 150), (90, 240)),
    'hair': ColourFamily((5, 25), (40, 200), (15, 110), ('plain', 'streaks')),
    'hat': ColourFamily((95, 110), (120, 240), (110, 230), ('plain', 'dots')),
    'glove': ColourFamily((24, 34), (120, 230), (140, 240)),
    'sunglasses': ColourFamily((0, 180), (0, 80), (5, 40)),
    'upper_clothes': ColourFamily((-8, 8), (130, 230), (120, 230), ('plain', 'stripes')),
    'dress': ColourFamily((140, 160), (110, 220), (110, 220), ('plain', 'dots')),
    'coat': ColourFamily((10, 22), (90, 200), (60, 150), ('plain', 'checker')),
    'socks': ColourFamily((0, 180), (0, 35), (180, 250), ('plain', 'stripes')),
    'pants': ColourFamily((104, 122), (80, 200), (60, 170), ('plain', 'streaks')),
    'jumpsuit': ColourFamily((55, 80), (110, 220), (80, 200)),
    'scarf': ColourFamily((162, 178), (140, 240), (130, 240), ('stripes', )),
    'skirt': ColourFamily((124, 140), (90, 200), (80, 200), ('plain', 'checker')),
    'shoe': ColourFamily((0, 180), (0, 60), (15, 80)),
}

MATERIAL_OF_LABEL: Dict[int, str] = {
    LIPLabel.HAT: 'hat',
    LIPLabel.HAIR: 'hair',
    LIPLabel.GLOVE: 'glove',
    LIPLabel.SUNGLASSES: 'sunglasses',
    LIPLabel.UPPER_CLOTHES: 'upper_clothes',
    LIPLabel.DRESS: 'dress',
    LIPLabel.COAT: 'coat',
    LIPLabel.SOCKS: 'socks',
    LIPLabel.PANTS: 'pants',
    LIPLabel.JUMPSUITS: 'jumpsuit',
    LIPLabel.SCARF: 'scarf',
    LIPLabel.SKIRT: 'skirt',
    LIPLabel.FACE: 'skin',
    LIPLabel.LEFT_ARM: 'skin',
    LIPLabel.RIGHT_ARM: 'skin',
    LIPLabel.LEFT_LEG: 'skin',
    LIPLabel.RIGHT_LEG: 'skin',
    LIPLabel.LEFT_SHOE: 'shoe',
    LIPLabel.RIGHT_SHOE: 'shoe',
}
MATERIAL_NAMES = tuple(MATERIALS)


def _material_index_lut() -> np.ndarray:
    """Label id -> index into ``MATERIAL_NAMES`` (255: background), to split a label map in one lookup."""
    lut = np.full(256, 255, np.uint8)
    for label, material in MATERIAL_OF_LABEL.items():
        lut[label] = MATERIAL_NAMES.index(material)
    return lut


MATERIAL_INDEX_LUT = _material_index_lut()


@dataclass
class Outfit:
    """What one person wears; the classes each choice draws are named in ``render_person_label``."""
    body: str  # 'separates' (top + pants/skirt), 'dress' or 'jumpsuit'
    bottom: str  # 'pants' or 'skirt' (separates only)
    leg_cover: float  # pants/jumpsuit length as a fraction of the leg
    hem_y: float  # bottom of a skirt or dress
    hem_half_width: float
    coat_y: float  # bottom of the coat; 0 means no coat
    coat_open: bool
    sleeve: float  # sleeve length as a fraction of the arm; 0 means sleeveless
    long_hair: bool
    has_hair: bool
    has_hat: bool
    has_sunglasses: bool
    has_scarf: bool
    scarf_side: int
    has_gloves: bool
    has_socks: bool
    has_shoes: bool


@dataclass
class Pose:
    """Figure geometry in person units (head top at y=0, soles at y~1, x=0 on the body axis)."""
    width: float  # body width factor
    shoulder_half: float
    hip_half: float
    upper_arm_angle: Dict[int, float]  # radians from straight down, positive = away from the body
    forearm_angle: Dict[int, float]
    thigh_angle: Dict[int, float]
    shin_angle: Dict[int, float]


@dataclass
class Placement:
    """Where the person lands in the image: pixel scale of one person unit, axis and rotation."""
    unit: float
    centre_x: float
    top_y: float
    angle_deg: float


def _uniform(rng: np.random.Generator, bounds: Sequence[float]) -> float:
    return float(rng.uniform(bounds[0], bounds[1]))


def _forearm_angle(rng: np.random.Generator, upper_arm_angle: float) -> float:
    """Elbow bends of -50..95 degrees; the hand may cross in front of the torso or wave above the head."""
    angle = upper_arm_angle + math.radians(_uniform(rng, (-50, 95)))
    return float(np.clip(angle, math.radians(-40), math.radians(165)))


def _sleeve_length(rng: np.random.Generator) -> float:
    """Sleeveless (0), short (up to the elbow, <= 0.5) or long (to the wrist, > 0.85)."""
    kind = rng.choice(3, p=[0.3, 0.4, 0.3])
    return (0.0, _uniform(rng, (0.15, 0.5)), _uniform(rng, (0.85, 1.0)))[kind]


def sample_pose(rng: np.random.Generator) -> Pose:
    """Sample limb angles and body proportions of a frontal standing figure."""
    width = _uniform(rng, (0.85, 1.2))
    upper = {s: math.radians(_uniform(rng, (6, 75))) for s in (PERSON_LEFT, PERSON_RIGHT)}
    fore = {s: _forearm_angle(rng, upper[s]) for s in upper}
    thigh = {s: math.radians(_uniform(rng, (-2, 18))) for s in upper}
    shin = {s: thigh[s] + math.radians(_uniform(rng, (-14, 12))) for s in upper}
    return Pose(width, 0.11 * width, 0.085 * width, upper, fore, thigh, shin)


def sample_outfit(rng: np.random.Generator) -> Outfit:
    """Sample garments so that every LIP class shows up in a good share of the images."""
    body = str(rng.choice(['separates', 'dress', 'jumpsuit'], p=[0.53, 0.22, 0.25]))
    has_coat = rng.random() < 0.35
    long_pants = rng.random() < 0.45
    return Outfit(
        body=body,
        bottom='skirt' if rng.random() < 0.45 else 'pants',
        leg_cover=_uniform(rng, (0.85, 0.93)) if long_pants else _uniform(rng, (0.2, 0.55)),
        hem_y=_uniform(rng, (0.6, 0.8)),
        hem_half_width=_uniform(rng, (0.12, 0.2)),
        coat_y=_uniform(rng, (0.58, 0.75)) if has_coat else 0.0,
        coat_open=rng.random() < 0.6,
        sleeve=_sleeve_length(rng),
        long_hair=rng.random() < 0.4,
        has_hair=rng.random() < 0.92,
        has_hat=rng.random() < 0.35,
        has_sunglasses=rng.random() < 0.35,
        has_scarf=rng.random() < 0.3,
        scarf_side=int(rng.choice([PERSON_LEFT, PERSON_RIGHT])),
        has_gloves=rng.random() < 0.3,
        has_socks=rng.random() < 0.45,
        has_shoes=rng.random() < 0.92,
    )


class PersonCanvas:
    """Draws label regions given in person units onto an ``(H, W)`` uint8 label map."""

    def __init__(self, label: np.ndarray, placement: Placement, pose: Pose) -> None:
        self.label = label
        self.place = placement
        self.pose = pose

    def px(self, point: Point) -> Tuple[int, int]:
        x, y = point
        return (int(round(self.place.centre_x + x * self.place.unit)),
                int(round(self.place.top_y + y * self.place.unit)))

    def length(self, value: float) -> int:
        return max(1, int(round(value * self.place.unit)))

    def polygon(self, points: Sequence[Point], value: int) -> None:
        cv2.fillPoly(self.label, [np.array([self.px(p) for p in points], np.int32)], int(value))

    def ellipse(self, centre: Point, axes: Point, value: int, start: float = 0, end: float = 360) -> None:
        cv2.ellipse(self.label, self.px(centre), (self.length(axes[0]), self.length(axes[1])), 0, start, end,
                    int(value), -1)

    def circle(self, centre: Point, radius: float, value: int) -> None:
        cv2.circle(self.label, self.px(centre), self.length(radius), int(value), -1)

    def capsule(self, start: Point, end: Point, r_start: float, r_end: float, value: int) -> None:
        """A tapered limb segment: a quad between two round caps."""
        dx, dy = end[0] - start[0], end[1] - start[1]
        norm = math.hypot(dx, dy) or 1.0
        nx, ny = -dy / norm, dx / norm
        self.polygon([(start[0] + nx * r_start, start[1] + ny * r_start),
                      (end[0] + nx * r_end, end[1] + ny * r_end), (end[0] - nx * r_end, end[1] - ny * r_end),
                      (start[0] - nx * r_start, start[1] - ny * r_start)], value)
        self.circle(start, r_start, value)
        self.circle(end, r_end, value)


def _along(start: Point, angle: float, side: int, length: float) -> Point:
    """The point ``length`` away from ``start`` at ``angle`` from straight down, turned towards ``side``."""
    return (start[0] + side * length * math.sin(angle), start[1] + length * math.cos(angle))


def _lerp(start: Point, end: Point, t: float) -> Point:
    return (start[0] + (end[0] - start[0]) * t, start[1] + (end[1] - start[1]) * t)


UPPER_ARM, FOREARM, THIGH, SHIN = 0.16, 0.15, 0.23, 0.22
HAND_RADIUS = 0.03
LEG_RADIUS = 0.04  # at the hip; legs taper to 0.028 at the ankle


def arm_joints(pose: Pose, side: int) -> Tuple[Point, Point, Point]:
    shoulder = (side * (pose.shoulder_half - 0.02), 0.2)
    elbow = _along(shoulder, pose.upper_arm_angle[side], side, UPPER_ARM)
    wrist = _along(elbow, pose.forearm_angle[side], side, FOREARM)
    return shoulder, elbow, wrist


def leg_joints(pose: Pose, side: int) -> Tuple[Point, Point, Point]:
    hip = (side * pose.hip_half * 0.55, 0.5)
    knee = _along(hip, pose.thigh_angle[side], side, THIGH)
    ankle = _along(knee, pose.shin_angle[side], side, SHIN)
    return hip, knee, ankle


def _draw_leg_pieces(canvas: PersonCanvas, side: int, cover: float, extra: float, value: int) -> None:
    """Fill the leg from the hip down to ``cover`` (fraction of hip-to-ankle), ``extra`` wider than skin."""
    hip, knee, ankle = leg_joints(canvas.pose, side)
    if cover <= 0.5:
        canvas.capsule(hip, _lerp(hip, knee, cover / 0.5), LEG_RADIUS + extra, 0.037 + extra, value)
        return
    canvas.capsule(hip, knee, LEG_RADIUS + extra, 0.034 + extra, value)
    canvas.capsule(knee, _lerp(knee, ankle, (cover - 0.5) / 0.5), 0.034 + extra, 0.028 + extra, value)


def draw_legs(canvas: PersonCanvas, outfit: Outfit) -> None:
    """Left/Right-leg skin, Socks and Left/Right-shoe."""
    for side in (PERSON_LEFT, PERSON_RIGHT):
        _draw_leg_pieces(canvas, side, 1.0, 0.0, LEG_LABEL[side])
        _, knee, ankle = leg_joints(canvas.pose, side)
        if outfit.has_socks:
            canvas.capsule(_lerp(ankle, knee, 0.35), ankle, 0.031, 0.03, LIPLabel.SOCKS)
        if outfit.has_shoes:
            canvas.ellipse((ankle[0] + side * 0.018, ankle[1] + 0.022), (0.045, 0.025), SHOE_LABEL[side])


def leg_half_width(pose: Pose, y: float) -> float:
    """Half width of the legs' outline at height ``y``: garments over the legs are made at least this wide."""
    half = 0.0
    for side in (PERSON_LEFT, PERSON_RIGHT):
        hip, knee, ankle = leg_joints(pose, side)
        start, end = (hip, knee) if y <= knee[1] else (knee, ankle)
        point = _lerp(start, end, float(np.clip((y - start[1]) / (end[1] - start[1]), 0, 1)))
        half = max(half, abs(point[0]) + LEG_RADIUS)
    return half


def draw_lower_garment(canvas: PersonCanvas, outfit: Outfit) -> None:
    """Pants/Jumpsuits legs, or a Skirt/Dress skirt."""
    pose = canvas.pose
    if outfit.body == 'dress' or (outfit.body == 'separates' and outfit.bottom == 'skirt'):
        value = LIPLabel.DRESS if outfit.body == 'dress' else LIPLabel.SKIRT
        waist = 0.08 * pose.width
        hip = max(waist, leg_half_width(pose, 0.5) + 0.01)
        hem = max(outfit.hem_half_width * pose.width, leg_half_width(pose, outfit.hem_y) + 0.015)
        canvas.polygon([(-waist, 0.44), (waist, 0.44), (hip, 0.5), (hem, outfit.hem_y), (-hem, outfit.hem_y),
                        (-hip, 0.5)], value)
        return
    value = LIPLabel.JUMPSUITS if outfit.body == 'jumpsuit' else LIPLabel.PANTS
    hip_half = pose.hip_half
    canvas.polygon([(-hip_half, 0.44), (hip_half, 0.44), (hip_half, 0.56), (-hip_half, 0.56)], value)
    for side in (PERSON_LEFT, PERSON_RIGHT):
        _draw_leg_pieces(canvas, side, outfit.leg_cover, 0.012, value)


def torso_outline(pose: Pose, bottom_y: float, bottom_half: float) -> List[Point]:
    shoulder, waist = pose.shoulder_half, 0.08 * pose.width
    return [(-shoulder, 0.17), (shoulder, 0.17), (shoulder * 0.93, 0.3), (waist, 0.44),
            (bottom_half, bottom_y), (-bottom_half, bottom_y), (-waist, 0.44), (-shoulder * 0.93, 0.3)]


def top_label(outfit: Outfit) -> LIPLabel:
    return {
        'separates': LIPLabel.UPPER_CLOTHES,
        'dress': LIPLabel.DRESS,
        'jumpsuit': LIPLabel.JUMPSUITS
    }[outfit.body]


def outer_label(outfit: Outfit) -> LIPLabel:
    return LIPLabel.COAT if outfit.coat_y else top_label(outfit)


def draw_torso(canvas: PersonCanvas, outfit: Outfit) -> None:
    """Face-coloured neck, then UpperClothes/Dress/Jumpsuits, then an optional (open) Coat."""
    pose = canvas.pose
    canvas.polygon([(-0.024, 0.12), (0.024, 0.12), (0.024, 0.19), (-0.024, 0.19)], LIPLabel.FACE)
    canvas.polygon(torso_outline(pose, 0.52, pose.hip_half), top_label(outfit))
    if not outfit.coat_y:
        return
    coat_half = max(pose.hip_half + 0.035, leg_half_width(pose, outfit.coat_y) + 0.01)
    canvas.polygon(torso_outline(pose, outfit.coat_y, coat_half), LIPLabel.COAT)
    if outfit.coat_open:
        canvas.polygon([(-0.03, 0.17), (0.03, 0.17), (0.02, outfit.coat_y), (-0.02, outfit.coat_y)],
                       top_label(outfit))


def draw_arms(canvas: PersonCanvas, outfit: Outfit) -> None:
    """Left/Right-arm skin (hands included), sleeves of the outer garment, and Gloves."""
    for side in (PERSON_LEFT, PERSON_RIGHT):
        shoulder, elbow, wrist = arm_joints(canvas.pose, side)
        hand = _along(wrist, canvas.pose.forearm_angle[side], side, HAND_RADIUS * 0.8)
        canvas.capsule(shoulder, elbow, 0.03, 0.026, ARM_LABEL[side])
        canvas.capsule(elbow, wrist, 0.026, 0.022, ARM_LABEL[side])
        canvas.circle(hand, HAND_RADIUS, ARM_LABEL[side])
        _draw_sleeve(canvas, outfit, shoulder, elbow, wrist)
        if outfit.has_gloves:
            canvas.capsule(_lerp(elbow, wrist, 0.75), hand, 0.026, HAND_RADIUS + 0.005, LIPLabel.GLOVE)


def _draw_sleeve(canvas: PersonCanvas, outfit: Outfit, shoulder: Point, elbow: Point, wrist: Point) -> None:
    if outfit.sleeve <= 0:
        return
    value = outer_label(outfit)
    if outfit.sleeve <= 0.5:
        canvas.capsule(shoulder, _lerp(shoulder, elbow, outfit.sleeve / 0.5), 0.04, 0.036, value)
        return
    canvas.capsule(shoulder, elbow, 0.04, 0.034, value)
    canvas.capsule(elbow, _lerp(elbow, wrist, (outfit.sleeve - 0.5) / 0.5), 0.034, 0.03, value)


def draw_scarf(canvas: PersonCanvas, outfit: Outfit) -> None:
    if not outfit.has_scarf:
        return
    side = outfit.scarf_side
    canvas.polygon([(-0.055, 0.15), (0.055, 0.15), (0.06, 0.2), (-0.06, 0.2)], LIPLabel.SCARF)
    canvas.polygon([(side * 0.01, 0.18), (side * 0.05, 0.18), (side * 0.055, 0.38), (side * 0.015, 0.38)],
                   LIPLabel.SCARF)


def draw_head(canvas: PersonCanvas, outfit: Outfit) -> None:
    """Hair behind and above the Face, then Sunglasses and a Hat."""
    if outfit.has_hair:
        canvas.ellipse((0, 0.072), (0.056, 0.07), LIPLabel.HAIR)
    canvas.ellipse((0, 0.085), (0.046, 0.06), LIPLabel.FACE)
    if outfit.has_hair:
        canvas.ellipse((0, 0.062), (0.054, 0.038), LIPLabel.HAIR, 180, 360)
    if outfit.has_sunglasses:
        for side in (PERSON_LEFT, PERSON_RIGHT):
            canvas.ellipse((side * 0.021, 0.082), (0.018, 0.012), LIPLabel.SUNGLASSES)
        canvas.polygon([(-0.01, 0.078), (0.01, 0.078), (0.01, 0.083), (-0.01, 0.083)], LIPLabel.SUNGLASSES)
    if outfit.has_hat:
        canvas.ellipse((0, 0.045), (0.055, 0.045), LIPLabel.HAT, 180, 360)
        canvas.polygon([(-0.08, 0.036), (0.08, 0.036), (0.08, 0.052), (-0.08, 0.052)], LIPLabel.HAT)


def draw_long_hair(canvas: PersonCanvas, outfit: Outfit) -> None:
    if outfit.has_hair and outfit.long_hair:
        canvas.polygon([(-0.06, 0.07), (0.06, 0.07), (0.075, 0.27), (-0.075, 0.27)], LIPLabel.HAIR)


def render_person_label(shape: Tuple[int, int], placement: Placement, pose: Pose,
                        outfit: Outfit) -> np.ndarray:
    """Draw one person back to front and return its ``(H, W)`` uint8 LIP label map."""
    canvas = PersonCanvas(np.zeros(shape, np.uint8), placement, pose)
    for draw in (draw_long_hair, draw_legs, draw_lower_garment, draw_torso, draw_arms, draw_scarf, draw_head):
        draw(canvas, outfit)
    if placement.angle_deg:
        pivot = canvas.px((0.0, 0.5))
        rotation = cv2.getRotationMatrix2D((float(pivot[0]), float(pivot[1])), placement.angle_deg, 1.0)
        canvas.label = cv2.warpAffine(
            canvas.label, rotation, (shape[1], shape[0]), flags=cv2.INTER_NEAREST, borderValue=0)
    return canvas.label


def sample_placement(rng: np.random.Generator, shape: Tuple[int, int]) -> Placement:
    """Full figures at varied scales, and now and then an upper-body crop as in LIP."""
    height, width = shape
    if rng.random() < 0.12:
        unit = height * _uniform(rng, (1.2, 1.5))
        top = height * _uniform(rng, (0.0, 0.05))
    else:
        unit = height * _uniform(rng, (0.7, 0.94))
        top = _uniform(rng, (0.0, max(height - unit, 0.0)))
    centre_x = width * _uniform(rng, (0.38, 0.62))
    return Placement(unit, centre_x, top, _uniform(rng, (-8, 8)))


def _hsv_colour(rng: np.random.Generator, family: ColourFamily) -> np.ndarray:
    hsv = [_uniform(rng, family.hue) % 180, _uniform(rng, family.sat), _uniform(rng, family.val)]
    return cv2.cvtColor(np.array([[hsv]], np.uint8), cv2.COLOR_HSV2BGR)[0, 0].astype(np.float32)


def smooth_noise(rng: np.random.Generator, shape: Tuple[int, int], cells: int) -> np.ndarray:
    """``(H, W)`` low-frequency noise in about [-1, 1]: a random ``cells`` x ``cells`` grid, resized."""
    grid = rng.uniform(-1, 1, (cells, cells)).astype(np.float32)
    return cv2.resize(grid, (shape[1], shape[0]), interpolation=cv2.INTER_CUBIC)


def pattern_mask(rng: np.random.Generator, pattern: str, yy: np.ndarray, xx: np.ndarray) -> np.ndarray:
    """Bool mask, shaped like ``yy`` and ``xx``: where the pattern takes its second colour (periods in px)."""
    period = _uniform(rng, (3.0, 7.0))
    if pattern == 'plain':
        return np.zeros(yy.shape, bool)
    if pattern == 'stripes':
        angle = _uniform(rng, (0, math.pi))
        return ((xx * math.cos(angle) + yy * math.sin(angle)) % period) < period / 2
    if pattern == 'streaks':
        return ((xx + 0.3 * yy) % 2.5) < 1.0
    if pattern == 'checker':
        return ((xx // period + yy // period) % 2).astype(bool)
    if pattern == 'dots':
        return ((xx % period - period / 2)**2 + (yy % period - period / 2)**2) < (period / 3.5)**2
    raise ValueError(f'unknown pattern {pattern!r}')


def material_texture(rng: np.random.Generator, family: ColourFamily, region: np.ndarray) -> np.ndarray:
    """``(N, 3)`` float32 BGR colours for the N pixels of the ``(H, W)`` bool ``region``.

    A base colour, a pattern in a shifted shade and soft shading.
    """
    base = _hsv_colour(rng, family)
    shift = _uniform(rng, (35, 70)) * (1 if base.mean() < 128 else -1)
    yy, xx = (coords.astype(np.float32) for coords in np.nonzero(region))
    mask = pattern_mask(rng, str(rng.choice(family.patterns)), yy, xx)
    colours = np.where(mask[:, None], np.clip(base + shift, 0, 255), base)
    return colours + 12 * smooth_noise(rng, region.shape, 4)[region][:, None]


def render_background(rng: np.random.Generator, shape: Tuple[int, int]) -> np.ndarray:
    """``(H, W, 3)`` float32 BGR clutter in colours from the whole wheel, garment colours included."""
    hsv = np.empty((*shape, 3), np.float32)
    hsv[..., 0] = (_uniform(rng, (0, 180)) + 30 * smooth_noise(rng, shape, 3)) % 180
    hsv[..., 1] = np.clip(_uniform(rng, (0, 160)) + 60 * smooth_noise(rng, shape, 4), 0, 255)
    hsv[..., 2] = np.clip(_uniform(rng, (50, 220)) + 50 * smooth_noise(rng, shape, 5), 0, 255)
    background = cv2.cvtColor(hsv.astype(np.uint8), cv2.COLOR_HSV2BGR).astype(np.float32)
    every_colour = ColourFamily((0, 180), (0, 255), (20, 255))
    for _ in range(int(rng.integers(0, 7))):
        colour = tuple(float(c) for c in _hsv_colour(rng, every_colour))
        _draw_clutter_shape(rng, background, colour)
    return background


def _draw_clutter_shape(rng: np.random.Generator, image: np.ndarray, colour: Tuple[float, ...]) -> None:
    height, width = image.shape[:2]
    x0, x1 = sorted(rng.integers(-width // 4, width + width // 4, 2).tolist())
    y0, y1 = sorted(rng.integers(-height // 4, height + height // 4, 2).tolist())
    kind = rng.integers(0, 3)
    if kind == 0:
        cv2.rectangle(image, (x0, y0), (x1, y1), colour, -1)
    elif kind == 1:
        cv2.circle(image, (x0, y0), int(rng.integers(2, max(3, min(height, width) // 4))), colour, -1)
    else:
        cv2.line(image, (x0, y0), (x1, y1), colour, int(rng.integers(1, 4)))


def render_image(rng: np.random.Generator, label: np.ndarray) -> np.ndarray:
    """Paint a ``(H, W, 3)`` uint8 BGR image whose regions follow ``label`` exactly."""
    shape = label.shape
    image = render_background(rng, shape)
    material_map = MATERIAL_INDEX_LUT[label]
    for index in np.setdiff1d(material_map, [255]).tolist():
        region = material_map == index
        image[region] = material_texture(rng, MATERIALS[MATERIAL_NAMES[index]], region)
    # Darker region borders, as cartoon outlines: they separate touching parts of one material.
    borders = cv2.dilate(label, np.ones((3, 3), np.uint8)) != cv2.erode(label, np.ones((3, 3), np.uint8))
    image[borders] *= 0.8
    image *= 1 + 0.15 * smooth_noise(rng, shape, 2)[..., None]
    image += rng.normal(0, _uniform(rng, (2, 8)), image.shape)
    return np.clip(image, 0, 255).astype(np.uint8)


def generate_sample(rng: np.random.Generator, img_size: int,
                    aspect_range: Tuple[float, float]) -> Tuple[np.ndarray, np.ndarray]:
    """One ``(H, W, 3)`` uint8 BGR image and its ``(H, W)`` uint8 label map; H = ``img_size``."""
    shape = (img_size, max(MIN_IMG_SIZE // 2, int(round(img_size * _uniform(rng, aspect_range)))))
    label = render_person_label(shape, sample_placement(rng, shape), sample_pose(rng), sample_outfit(rng))
    return render_image(rng, label), label


def colorize_lip_label(label: np.ndarray) -> np.ndarray:
    """Map an ``(H, W)`` LIP label map to an ``(H, W, 3)`` uint8 RGB image with LIP's palette.

    The ignore index 255 is drawn white; any other value outside 0..19 is an error.
    """
    # Imported here: mmseg.datasets needs mmcv.ops, which mmseg_mman's fallback provides only after this
    # package (mmseg_mman.utils) has been imported.
    from mmseg.datasets import LIPDataset
    palette = np.zeros((256, 3), np.uint8)
    palette[:NUM_LIP_CLASSES] = np.asarray(LIPDataset.METAINFO['palette'], np.uint8)
    palette[255] = 255
    invalid = np.setdiff1d(np.unique(label), [*range(NUM_LIP_CLASSES), 255])
    if invalid.size:
        raise ValueError(f'label map has values {invalid.tolist()} outside the LIP ids 0..19 and 255')
    return palette[label.astype(np.uint8)]


def _check_arguments(num_train: int, num_val: int, img_size: int, aspect_range: Tuple[float, float]) -> None:
    for name, value in (('num_train', num_train), ('num_val', num_val)):
        if value < 0:
            raise ValueError(f'{name} must be >= 0, got {value}')
    if img_size < MIN_IMG_SIZE:
        raise ValueError(f'img_size must be >= {MIN_IMG_SIZE} pixels, got {img_size}')
    if not 0.25 <= aspect_range[0] <= aspect_range[1] <= 4:
        raise ValueError(
            f'aspect_range must be (low, high) with 0.25 <= low <= high <= 4, got {aspect_range}')


def _is_synthetic_sample(name: str) -> bool:
    return name.startswith(f'{STEM_PREFIX}_') and name.endswith(('.jpg', '.png'))


def _prepare_split_dirs(out_dir: str, split: str, overwrite: bool) -> Tuple[str, str]:
    """Create the split's image and label folders; refuse (or, with ``overwrite``, clear) earlier samples.

    Files this generator did not write are never deleted: a folder holding any is refused, since
    ``LIPDataset`` would read them along with the new samples.
    """
    img_dir, seg_dir = osp.join(out_dir, f'{split}_images'), osp.join(out_dir, f'{split}_segmentations')
    for folder in (img_dir, seg_dir):
        mkdir_or_exist(folder)
        existing = sorted(os.listdir(folder))
        foreign = [name for name in existing if not _is_synthetic_sample(name)]
        if foreign:
            raise FileExistsError(f'{folder} holds files that are not synthetic samples, e.g. {foreign[0]}; '
                                  'choose an empty out_dir')
        if existing and not overwrite:
            raise FileExistsError(f'{folder} is not empty ({len(existing)} files, e.g. {existing[0]}); '
                                  'pass overwrite=True (--overwrite) to replace earlier synthetic samples')
        for name in existing:
            os.remove(osp.join(folder, name))
    return img_dir, seg_dir


def write_split(out_dir: str, split: str, num_images: int, img_size: int, aspect_range: Tuple[float, float],
                seed: int, overwrite: bool) -> dict:
    """Write one split's images, labels and ``<split>_id.txt``; return its paths and class statistics."""
    img_dir, seg_dir = _prepare_split_dirs(out_dir, split, overwrite)
    images_per_class = np.zeros(NUM_LIP_CLASSES, np.int64)
    stems = []
    for index in range(num_images):
        # One generator per sample: sample i is the same whatever the split sizes.
        rng = np.random.default_rng([seed, SPLITS.index(split), index])
        image, label = generate_sample(rng, img_size, aspect_range)
        stem = f'{STEM_PREFIX}_{split}_{index:06d}'
        quality = int(rng.integers(60, 96))
        cv2.imwrite(osp.join(img_dir, f'{stem}.jpg'), image, [cv2.IMWRITE_JPEG_QUALITY, quality])
        cv2.imwrite(osp.join(seg_dir, f'{stem}.png'), label)
        images_per_class[np.unique(label)] += 1
        stems.append(stem)
    id_file = osp.join(out_dir, f'{split}_id.txt')
    with open(id_file, 'w') as f:
        f.writelines(f'{stem}\n' for stem in stems)
    return dict(
        num_images=num_images,
        img_dir=img_dir,
        seg_map_dir=seg_dir,
        id_file=id_file,
        images_per_class=images_per_class.tolist())


def generate_synthetic_lip(out_dir: str,
                           num_train: int = 200,
                           num_val: int = 50,
                           img_size: int = 96,
                           seed: int = 0,
                           aspect_range: Tuple[float, float] = (0.6, 1.0),
                           overwrite: bool = False) -> Dict[str, Union[str, dict]]:
    """Write a synthetic LIP-layout dataset of stick-figure people (see the module docstring for the layout).

    Args:
        out_dir: Root folder; created if missing.
        num_train: Number of training samples.
        num_val: Number of validation samples.
        img_size: Image height in pixels; the width is ``img_size`` times an aspect ratio drawn from
            ``aspect_range``.
        seed: Same seed, same bytes (labels and images).
        aspect_range: Range of width / height.
        overwrite: Replace earlier synthetic samples in ``out_dir`` instead of refusing a non-empty folder.
            Other files are never deleted; a split folder holding any is refused.

    Returns:
        ``dict(out_dir=..., train=..., val=...)``; each split holds ``num_images``, ``img_dir``,
        ``seg_map_dir``, ``id_file`` (absolute paths) and ``images_per_class`` (20 counts of images
        containing each class).
    """
    _check_arguments(num_train, num_val, img_size, aspect_range)
    out_dir = osp.abspath(out_dir)
    result: Dict[str, Union[str, dict]] = dict(out_dir=out_dir)
    for split, num_images in zip(SPLITS, (num_train, num_val)):
        result[split] = write_split(out_dir, split, num_images, img_size, tuple(aspect_range), seed,
                                    overwrite)
    return result
