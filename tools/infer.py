"""Human parsing of one's own images with a trained model: no label files needed.

INPUT is an image, a folder (its images, not recursive) or a quoted glob pattern. MODEL is a
checkpoint (``.pth``: published or from training) or an ONNX file
from ``tools/deployment/export_onnx.py`` (``.onnx``, run with onnxruntime). For each image ``<stem>.*``
the tool writes into ``--out-dir``:

* ``<stem>.png``: index PNG (palette mode): pixel value = class id, the dataset palette embedded;
* ``<stem>_vis.png``: image | colour map | legend of the classes present (``--overlay``: the colour
  map blended into the image | legend);
* ``<stem>_fractions.json`` or ``.csv`` (``--fractions``): pixel count and fraction of every class.

An image whose outputs all exist is skipped (so an interrupted folder resumes) unless ``--force``.
An image that cannot be decoded is reported and skipped, and the tool exits with status 1 at the
end; bad arguments (no image found, a model that does not fit the config, an --out-dir that cannot be
written, a truncated checkpoint) exit with status 2, before the model is loaded where possible.

Video: INPUT a video file (``.mp4``, ``.avi``, ``.mov``, ...), or a folder / glob of frames with
``--video-out``, gives a video of the colour map blended over the frames (``--opacity``), at the
input's frame size and rate (``--fps`` for frames: default 25), written to ``--video-out`` or
``<out-dir>/<stem>_vis.mp4``; ``--index-pngs`` adds ``<out-dir>/<stem>_labels/<frame>.png``. Frames
are parsed in batches of ``--batch-size``; a video that cannot be decoded exits with status 2.

    python tools/infer.py configs/mman_r101_lip.py mman_r101_lip-1a2b3c4d.pth photos/ --out-dir parsed
    python tools/infer.py configs/mman_r101_lip.py mman_r101_lip-1a2b3c4d.pth clip.mp4 --out-dir parsed
"""
import argparse
import os.path as osp
import sys
from typing import Dict, List, Optional

import cv2
import numpy as np
import torch
import torch.nn as nn
from mmengine.config import DictAction
from mmengine.dataset import Compose
from mmengine.logging import print_log
from mmengine.utils import ProgressBar

import mmseg_mman  # noqa: F401,I001  (first: registers the plugin and the mmcv.ops fallback)
from mmseg_mman.apis import (ONNXSegmentor, collect_images, index_png_bytes, inference_pipeline, init_parser,
                             load_config, parse_image, read_image, render_parsing)
from mmseg_mman.apis.images import UnreadableImageError, check_unique_stems, output_stem
from mmseg_mman.apis.video import VideoWriter, is_video, open_frames, parse_video, video_outputs
from mmseg_mman.apis.visualization import class_fractions, fractions_text
from mmseg_mman.utils import register_safe_checkpoint_loader, trust_checkpoint, write_atomically
from mmseg_mman.utils.fileio import check_writable_dir

SETUP_ERRORS = (FileNotFoundError, ValueError, KeyError, RuntimeError)


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Human parsing of images with a trained model')
    parser.add_argument('config', help='the config the model was trained with')
    parser.add_argument(
        'checkpoint',
        help='a .pth checkpoint, or an .onnx file written by '
        'tools/deployment/export_onnx.py (run with onnxruntime)')
    parser.add_argument('input', help='an image, a folder of images or a quoted glob pattern')
    parser.add_argument('--out-dir', required=True, help='where the outputs go (created if missing)')
    parser.add_argument('--device', default='cpu', help='cpu or cuda[:N]')
    parser.add_argument(
        '--tta',
        action='store_true',
        help="test-time augmentation: the config's tta_pipeline (scales x flip)")
    parser.add_argument(
        '--fractions', choices=['json', 'csv'], help='also write per-class pixel fractions in this format')
    vis_options = parser.add_mutually_exclusive_group()
    vis_options.add_argument(
        '--side-by-side',
        dest='vis_mode',
        action='store_const',
        const='side-by-side',
        help='visualisation: image | colour map | legend (default)')
    vis_options.add_argument(
        '--overlay',
        dest='vis_mode',
        action='store_const',
        const='overlay',
        help='visualisation: colour map blended into the image | legend')
    parser.set_defaults(vis_mode='side-by-side')
    parser.add_argument('--opacity', type=float, default=0.5, help='colour weight of --overlay')
    parser.add_argument('--force', action='store_true', help='redo images whose outputs exist')
    parser.add_argument(
        '--trust-checkpoint',
        action='store_true',
        help='fully unpickle the checkpoint (not needed: the weights of training checkpoints are '
        'read without it). Unpickling can run arbitrary code: only for files you trust.')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction, help='override config settings, xxx=yyy format')
    video = parser.add_argument_group('video (INPUT a video file, or frames with --video-out)')
    video.add_argument(
        '--video-out', help='the output video (.mp4 or .avi); default <out-dir>/<stem>_vis.mp4')
    video.add_argument('--fps', type=float, help='frame rate of a folder of frames (default 25)')
    video.add_argument('--batch-size', type=int, default=4, help='frames parsed together (default 4)')
    video.add_argument('--index-pngs', action='store_true', help='also one index PNG per frame')
    return parser.parse_args(argv)


def load_model(args: argparse.Namespace) -> nn.Module:
    """The PyTorch human-parsing model, or an :class:`ONNXSegmentor` for an ``.onnx`` file."""
    if args.device.startswith('cuda') and not torch.cuda.is_available():
        raise RuntimeError(f'--device {args.device}: CUDA is not available here; use --device cpu')
    if args.checkpoint.endswith('.onnx'):
        if args.tta:
            raise ValueError('--tta needs the PyTorch checkpoint: the ONNX network does not swap '
                             'left/right classes of flipped views')
        return ONNXSegmentor(args.checkpoint, load_config(args.config, args.cfg_options), args.device)
    register_safe_checkpoint_loader()
    if args.trust_checkpoint:
        trust_checkpoint(args.checkpoint)
    return init_parser(
        args.config, args.checkpoint, device=args.device, tta=args.tta, cfg_options=args.cfg_options)


def output_paths(out_dir: str, image_path: str, fractions: Optional[str]) -> Dict[str, str]:
    """The files written for ``image_path``, by kind."""
    stem = osp.join(out_dir, output_stem(image_path))
    paths = dict(label=f'{stem}.png', vis=f'{stem}_vis.png')
    if fractions:
        paths['fractions'] = f'{stem}_fractions.{fractions}'
    return paths


def write_outputs(paths: Dict[str, str], image_bgr: np.ndarray, label: np.ndarray, dataset_meta: dict,
                  args: argparse.Namespace) -> None:
    classes, palette = dataset_meta['classes'], dataset_meta['palette']
    if 'fractions' in paths:
        text = fractions_text(class_fractions(label, classes), args.fractions)
        write_atomically(paths['fractions'], text.encode())
    picture = render_parsing(image_bgr[..., ::-1], label, classes, palette, args.vis_mode, args.opacity)
    write_atomically(paths['vis'], cv2.imencode('.png', picture[..., ::-1])[1].tobytes())
    write_atomically(paths['label'], index_png_bytes(label, palette))


def check_inputs_are_kept(outputs: Dict[str, Dict[str, str]]) -> None:
    """Refuse an ``--out-dir`` where an output would overwrite an input image."""
    inputs = {osp.realpath(image) for image in outputs}
    for paths in outputs.values():
        for path in paths.values():
            if osp.realpath(path) in inputs:
                raise ValueError(f'the output {path} would overwrite an input image: choose another '
                                 '--out-dir')


def predict_all(model: nn.Module, pipeline: Compose, outputs: Dict[str, Dict[str, str]],
                args: argparse.Namespace) -> List[str]:
    """Predict the label map of every image of ``outputs`` and write its outputs; the errors of
    unreadable images. (Outputs are written atomically: an interrupted run leaves none half-written
    that a resumed run would take as done.)"""
    failures = []
    progress = ProgressBar(len(outputs)) if len(outputs) > 1 else None
    for image_path, paths in outputs.items():
        try:
            image = read_image(image_path)
        except UnreadableImageError as error:
            failures.append(str(error))
            print(f'\nSkipped: {error}', file=sys.stderr)
        else:
            write_outputs(paths, image, parse_image(model, pipeline, image), model.dataset_meta, args)
        if progress is not None:
            progress.update()
    return failures


def infer_video(args: argparse.Namespace) -> int:
    """A video (or the frames of a folder) in, the blended video (and index PNGs) out."""
    try:
        frames = open_frames(args.input, fps=args.fps)
        outputs = video_outputs(args.out_dir, frames, args.video_out, args.index_pngs)
        check_writable_dir(args.out_dir)
        model = load_model(args)
        pipeline = inference_pipeline(model.cfg, tta=args.tta)
        writer = VideoWriter(outputs.video, frames.fps, frames.size)
    except SETUP_ERRORS as error:
        print(f'infer.py: error: {error}', file=sys.stderr)
        return 2
    try:
        summary = parse_video(model, pipeline, frames, writer, model.dataset_meta, outputs.index_dir,
                              args.batch_size, args.opacity)
    except (UnreadableImageError, ValueError) as error:  # a frame of a folder
        print(f'infer.py: error: {error}', file=sys.stderr)
        return 1
    print_log(
        f'Wrote {summary.num_frames} frames ({summary.size[0]}x{summary.size[1]}, {summary.fps:g} fps) to '
        f'{outputs.video} in {summary.seconds:.1f} s: {summary.frames_per_second:.2f} frames/s',
        logger='current')
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    if args.video_out or is_video(args.input):
        return infer_video(args)
    try:
        images = collect_images(args.input)
        check_unique_stems(images)
        outputs = {image: output_paths(args.out_dir, image, args.fractions) for image in images}
        check_inputs_are_kept(outputs)
        check_writable_dir(args.out_dir)
        model = load_model(args)
        pipeline = inference_pipeline(model.cfg, tta=args.tta)
    except SETUP_ERRORS as error:
        print(f'infer.py: error: {error}', file=sys.stderr)
        return 2
    todo = {
        image: paths
        for image, paths in outputs.items()
        if args.force or not all(osp.exists(path) for path in paths.values())
    }
    if len(todo) < len(images):
        print_log(
            f'Skipping {len(images) - len(todo)} of {len(images)} images whose outputs are in '
            f'{args.out_dir} (--force redoes them)',
            logger='current')
    failures = predict_all(model, pipeline, todo, args)
    print_log(
        f'Wrote the label maps of {len(todo) - len(failures)} images into {args.out_dir}', logger='current')
    if failures:
        print(
            f'infer.py: {len(failures)} images could not be read:\n  ' + '\n  '.join(failures),
            file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
