"""Human parsing of a video, or of a folder of frames, into a video of the colour map blended over
the frames (and, optionally, one index PNG per frame). ``tools/infer.py`` is the CLI.

Frames are decoded with OpenCV, parsed in batches and written as they come, so memory does not
grow with the length of the video; the output keeps the input's frame size and frame rate.
"""
import os
import os.path as osp
import time
from dataclasses import dataclass
from typing import Iterator, List, Optional, Sequence, Tuple, Union

import cv2
import numpy as np
import torch
import torch.nn as nn
from mmengine.dataset import Compose, pseudo_collate
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn,
                           TimeElapsedColumn)
from rich.text import Text

from ..utils.fileio import write_atomically
from .images import collect_images, output_stem, read_image
from .visualization import index_png_bytes, overlay_colour_map

#: File extensions taken as videos (anything else goes to the image reader).
VIDEO_EXTENSIONS = ('.mp4', '.avi', '.mov', '.mkv', '.webm', '.m4v', '.mpg', '.mpeg', '.wmv')
#: Output containers and the OpenCV codec written into each.
VIDEO_CODECS = {'.mp4': 'mp4v', '.avi': 'MJPG'}
Size = Tuple[int, int]  # (width, height)


class UnreadableVideoError(ValueError):
    """A file that cannot be opened or decoded as a video."""


def is_video(path: str) -> bool:
    """Whether ``path`` is a file with a video extension (case-insensitive)."""
    return osp.isfile(path) and path.lower().endswith(VIDEO_EXTENSIONS)


class VideoFrames:
    """The frames of a video file (any container and codec OpenCV's FFmpeg reads): ``name``,
    ``fps``, ``size`` (width, height), ``num_frames`` (OpenCV's estimate) and iteration over
    (H, W, 3) uint8 BGR frames.

    Raises:
        UnreadableVideoError: the file cannot be opened, holds no decodable frame or no frame rate
            (and ``fps`` is not given).
    """

    def __init__(self, path: str, fps: Optional[float] = None) -> None:
        self.name = path
        capture = cv2.VideoCapture(path)
        try:
            if not capture.isOpened():
                raise UnreadableVideoError(f'{path}: cannot be opened as a video (not a video, or a '
                                           'codec OpenCV cannot read)')
            ok, first = capture.read()
            if not ok or first is None:
                raise UnreadableVideoError(f'{path}: cannot be decoded as a video (no frame could be read)')
            self.fps = float(fps or capture.get(cv2.CAP_PROP_FPS))
            self.num_frames = max(int(capture.get(cv2.CAP_PROP_FRAME_COUNT)), 1)
        finally:
            capture.release()
        if not self.fps > 0:
            raise UnreadableVideoError(f'{path}: the video gives no frame rate; pass one (--fps)')
        self.size = (first.shape[1], first.shape[0])

    def __iter__(self) -> Iterator[np.ndarray]:
        capture = cv2.VideoCapture(self.name)
        try:
            while True:
                ok, frame = capture.read()
                if not ok:
                    return
                yield frame
        finally:
            capture.release()


class ImageFrames:
    """The images ``source`` names (a folder, sorted by name, or a glob), played at ``fps``; the
    attributes of :class:`VideoFrames`.

    Every frame must have the size of the first; a frame that cannot be decoded or has another
    size raises an ``UnreadableImageError`` / ``ValueError`` naming the file when it is reached.
    """

    def __init__(self, source: str, fps: float) -> None:
        if not fps > 0:
            raise ValueError(f'the frame rate of a folder of frames must be > 0, got {fps}')
        self.name = source
        self.paths = collect_images(source)
        self.fps = float(fps)
        self.num_frames = len(self.paths)
        first = read_image(self.paths[0])
        self.size = (first.shape[1], first.shape[0])

    def __iter__(self) -> Iterator[np.ndarray]:
        for path in self.paths:
            frame = read_image(path)
            if (frame.shape[1], frame.shape[0]) != self.size:
                raise ValueError(f'{path} is {frame.shape[1]}x{frame.shape[0]} but the first frame '
                                 f'{self.paths[0]} is {self.size[0]}x{self.size[1]}: the frames of a video '
                                 'have one size')
            yield frame


FrameSource = Union[VideoFrames, ImageFrames]


def open_frames(source: str, fps: Optional[float] = None, default_fps: float = 25.0) -> FrameSource:
    """:class:`VideoFrames` for a video file, else :class:`ImageFrames` (at ``fps`` or
    ``default_fps``)."""
    if is_video(source):
        return VideoFrames(source, fps)
    return ImageFrames(source, fps or default_fps)


def check_video_extension(path: str) -> str:
    """The extension of an output video ``path``, one of :data:`VIDEO_CODECS`; a ``ValueError``
    naming the path otherwise."""
    extension = osp.splitext(path)[1].lower()
    if extension not in VIDEO_CODECS:
        raise ValueError(f'{path}: the output video must end in {" or ".join(VIDEO_CODECS)}')
    return extension


class VideoWriter:
    """Writes (H, W, 3) uint8 BGR frames of one size into ``path`` (``.mp4``: MPEG-4 part 2,
    ``.avi``: Motion-JPEG) through a hidden partial file, renamed to ``path`` by :meth:`close`:
    an interrupted run leaves no truncated video behind.

    Raises:
        ValueError: another extension, or OpenCV cannot write the file.
    """

    def __init__(self, path: str, fps: float, size: Size) -> None:
        extension = check_video_extension(path)
        self.path, self.size = path, size
        folder = osp.dirname(osp.abspath(path))
        os.makedirs(folder, exist_ok=True)
        self.partial = osp.join(folder, f'.{osp.basename(path)}.partial{extension}')
        self.writer = cv2.VideoWriter(self.partial, cv2.VideoWriter_fourcc(*VIDEO_CODECS[extension]), fps,
                                      size)
        if not self.writer.isOpened():
            raise ValueError(f'{path}: OpenCV cannot write a {extension} video here')
        self.num_frames = 0

    def write(self, frame: np.ndarray) -> None:
        self.writer.write(frame)
        self.num_frames += 1

    def close(self) -> None:
        """Finish the file and move it to ``path``."""
        self.writer.release()
        os.replace(self.partial, self.path)

    def discard(self) -> None:
        """Drop what was written (after an error)."""
        self.writer.release()
        if osp.exists(self.partial):
            os.remove(self.partial)


@dataclass
class VideoOutputs:
    """Where the parsing of one frame source goes."""
    video: str
    index_dir: Optional[str] = None  # one <frame index>.png per frame when set


def video_outputs(out_dir: str, source: FrameSource, video_out: Optional[str],
                  index_pngs: bool) -> VideoOutputs:
    """``video_out`` or ``<out_dir>/<stem>_vis.mp4``; index PNGs in ``<out_dir>/<stem>_labels/``.
    ``<stem>``: the video file's name, or for frames (a folder or glob) the output video's."""
    if video_out is None and not isinstance(source, VideoFrames):
        raise ValueError(f'{source.name}: frames need --video-out (the video to write)')
    stem = output_stem(source.name if isinstance(source, VideoFrames) else video_out)
    video = video_out or osp.join(out_dir, f'{stem}_vis.mp4')
    check_video_extension(video)
    if osp.abspath(video) == osp.abspath(source.name):
        raise ValueError(f'the output video {video} would overwrite the input: choose another --video-out')
    return VideoOutputs(video, osp.join(out_dir, f'{stem}_labels') if index_pngs else None)


def parse_frames(model: nn.Module, pipeline: Compose, frames: Sequence[np.ndarray]) -> List[np.ndarray]:
    """Class index of every pixel of each frame, the frames run through the model as one batch.

    Args:
        model: A segmentor (or its TTA wrapper, or ``ONNXSegmentor``) with ``test_step``.
        pipeline: From :func:`mmseg_mman.apis.inference_pipeline`.
        frames: (H, W, 3) uint8 BGR images.

    Returns:
        One (H, W) int64 label map per frame, at the frame's size.
    """
    data = pseudo_collate([pipeline(dict(img=frame)) for frame in frames])
    with torch.no_grad():
        results = model.test_step(data)
    return [
        result.pred_sem_seg.data.reshape(frame.shape[:2]).cpu().numpy().astype(np.int64)
        for result, frame in zip(results, frames)
    ]


def _batches(frames: FrameSource, batch_size: int) -> Iterator[List[np.ndarray]]:
    batch: List[np.ndarray] = []
    for frame in frames:
        batch.append(frame)
        if len(batch) == batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


class FramesPerSecondColumn(ProgressColumn):
    """Frames per second so far (rich's own speed column shows bytes)."""

    def render(self, task) -> Text:
        elapsed = task.finished_time if task.finished else task.elapsed
        rate = task.completed / elapsed if elapsed else 0.0
        return Text(f'{rate:.2f} frames/s')


@dataclass
class VideoSummary:
    """What :func:`parse_video` did: frames written, their size and rate, wall time and speed."""
    num_frames: int
    size: Size
    fps: float
    seconds: float

    @property
    def frames_per_second(self) -> float:
        return self.num_frames / self.seconds if self.seconds else 0.0


def parse_video(model: nn.Module,
                pipeline: Compose,
                frames: FrameSource,
                writer: VideoWriter,
                dataset_meta: dict,
                index_dir: Optional[str] = None,
                batch_size: int = 4,
                opacity: float = 0.5,
                progress: bool = True) -> VideoSummary:
    """Parse every frame of ``frames`` in batches of ``batch_size`` and write the colour maps
    (``dataset_meta['palette']``) blended over the frames with ``opacity`` into ``writer``, plus
    ``<index_dir>/<frame index>.png`` index PNGs when ``index_dir`` is set. A progress bar shows
    frames per second. The video is moved into place only when every frame is written.
    """
    if batch_size < 1:
        raise ValueError(f'batch_size must be >= 1, got {batch_size}')
    # the colours in OpenCV's channel order, to blend into BGR frames directly
    palette_bgr = [list(colour)[::-1] for colour in dataset_meta['palette']]
    columns = (TextColumn(osp.basename(writer.path)), BarColumn(), MofNCompleteColumn(),
               FramesPerSecondColumn(), TimeElapsedColumn())
    start = time.perf_counter()
    try:
        with Progress(*columns, disable=not progress) as bar:
            task = bar.add_task('frames', total=frames.num_frames)
            for batch in _batches(frames, batch_size):
                for frame, label in zip(batch, parse_frames(model, pipeline, batch)):
                    writer.write(overlay_colour_map(frame, label, palette_bgr, opacity))
                    if index_dir is not None:
                        write_atomically(
                            osp.join(index_dir, f'{writer.num_frames - 1:06d}.png'),
                            index_png_bytes(label, dataset_meta['palette']))
                bar.update(task, advance=len(batch), total=max(frames.num_frames, writer.num_frames))
    except BaseException:
        writer.discard()
        raise
    writer.close()
    return VideoSummary(writer.num_frames, frames.size, frames.fps, time.perf_counter() - start)
