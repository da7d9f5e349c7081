"""tools/infer.py on videos and folders of frames (mmseg_mman.apis.video) with a tiny randomly
initialised MMAN: frame count, size and rate kept, the blend of the parser's colour maps written,
batching does not change the labels, bad input named."""
import os.path as osp

import cv2
import numpy as np
import pytest
from conftest import tool_cli, write_tiny_parser
from PIL import Image

from mmseg_mman.apis import inference_pipeline, init_parser, parse_frames, parse_image
from mmseg_mman.apis.video import VideoFrames

WIDTH, HEIGHT, FPS, NUM_FRAMES = 80, 64, 12.0, 7


@pytest.fixture(scope='module')
def parser_files(synthetic_lip, tmp_path_factory):
    return write_tiny_parser(str(tmp_path_factory.mktemp('parser')), synthetic_lip)


@pytest.fixture(scope='module')
def infer():
    return tool_cli('infer.py')


def frames_of(synthetic_lip):
    """A person moving right by 2 px per frame, (HEIGHT, WIDTH, 3) BGR."""
    person = cv2.imread(osp.join(synthetic_lip, 'val_images', 'synth_val_000000.jpg'))
    person = cv2.resize(person, (WIDTH, HEIGHT))
    return [np.roll(person, 2 * i, axis=1) for i in range(NUM_FRAMES)]


def write_video(path, frames, fps=FPS, codec='MJPG'):
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*codec), fps, (WIDTH, HEIGHT))
    assert writer.isOpened()
    for frame in frames:
        writer.write(frame)
    writer.release()


def read_video(path):
    capture = cv2.VideoCapture(str(path))
    fps = capture.get(cv2.CAP_PROP_FPS)
    frames = []
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        frames.append(frame)
    capture.release()
    return fps, frames


@pytest.fixture(scope='module')
def clip(synthetic_lip, tmp_path_factory):
    path = tmp_path_factory.mktemp('clip') / 'clip.avi'
    write_video(path, frames_of(synthetic_lip))
    return path


def test_video_in_video_out_with_frame_count_size_and_rate(infer, parser_files, clip, tmp_path, capsys):
    config, checkpoint = parser_files
    out_dir = tmp_path / 'out'
    status = infer(
        [config, checkpoint,
         str(clip), '--out-dir',
         str(out_dir), '--index-pngs', '--batch-size', '3'])
    assert status == 0
    output = capsys.readouterr()
    assert 'frames/s' in output.out + output.err
    fps, frames = read_video(out_dir / 'clip_vis.mp4')
    assert fps == pytest.approx(FPS)
    assert len(frames) == NUM_FRAMES
    assert {frame.shape for frame in frames} == {(HEIGHT, WIDTH, 3)}
    labels = sorted((out_dir / 'clip_labels').iterdir())
    assert [p.name for p in labels] == [f'{i:06d}.png' for i in range(NUM_FRAMES)]
    # each index PNG holds the parser's labels of the decoded frame; the video frame is their blend
    model = init_parser(config, checkpoint)
    pipeline = inference_pipeline(model.cfg)
    palette = np.array(model.dataset_meta['palette'], np.float64)
    for index, decoded in enumerate(VideoFrames(str(clip))):
        label = np.array(Image.open(labels[index]))
        assert np.array_equal(label, parse_image(model, pipeline, decoded))
        written = frames[index].astype(np.float64)
        error = np.abs(written - (0.5 * decoded + 0.5 * palette[label][..., ::-1])).mean()
        # MPEG-4 compression of the random parser's speckled maps leaves about 10 grey levels; the
        # colours in RGB order instead, or the frame unblended, are 40+ away
        assert error < 14
        assert error < 0.5 * np.abs(written - (0.5 * decoded + 0.5 * palette[label])).mean()
        assert error < 0.5 * np.abs(written - decoded).mean()
    assert not list(out_dir.glob('.*partial*'))


def test_batches_give_the_labels_of_single_frames(parser_files, synthetic_lip):
    config, checkpoint = parser_files
    model = init_parser(config, checkpoint)
    pipeline = inference_pipeline(model.cfg)
    frames = frames_of(synthetic_lip)[:3]
    batched = parse_frames(model, pipeline, frames)
    for frame, label in zip(frames, batched):
        assert np.array_equal(label, parse_image(model, pipeline, frame))


def test_folder_of_frames_to_video_at_the_given_rate(infer, parser_files, synthetic_lip, tmp_path):
    config, checkpoint = parser_files
    folder = tmp_path / 'frames'
    folder.mkdir()
    for i, frame in enumerate(frames_of(synthetic_lip)):
        cv2.imwrite(str(folder / f'f{i:03d}.png'), frame)
    video = tmp_path / 'made' / 'walk.avi'
    assert infer([
        config, checkpoint,
        str(folder), '--out-dir',
        str(tmp_path / 'out'), '--video-out',
        str(video), '--fps', '5'
    ]) == 0
    fps, frames = read_video(video)
    assert (fps, len(frames), frames[0].shape) == (pytest.approx(5.0), NUM_FRAMES, (HEIGHT, WIDTH, 3))
    # a glob of frames, with index PNGs named after the output video
    assert infer([
        config, checkpoint,
        str(folder / '*.png'), '--out-dir',
        str(tmp_path / 'out'), '--video-out',
        str(tmp_path / 'glob.mp4'), '--index-pngs'
    ]) == 0
    assert len(list((tmp_path / 'out' / 'glob_labels').glob('*.png'))) == NUM_FRAMES
    # a frame of another size is named
    cv2.imwrite(str(folder / 'f999.png'), np.zeros((10, 10, 3), np.uint8))
    assert infer([
        config, checkpoint,
        str(folder), '--out-dir',
        str(tmp_path / 'out'), '--video-out',
        str(tmp_path / 'bad.mp4')
    ]) == 1
    assert not (tmp_path / 'bad.mp4').exists()


def test_undecodable_video_is_named_before_the_model_loads(infer, tmp_path, capsys):
    broken = tmp_path / 'broken.mp4'
    broken.write_bytes(b'\x00\x00\x00\x18ftypmp42 this is not a video stream' * 4)
    status = infer(['missing_config.py', 'missing.pth', str(broken), '--out-dir', str(tmp_path / 'out')])
    assert status == 2
    err = capsys.readouterr().err
    assert f'{broken}: cannot be' in err and 'as a video' in err
    assert not (tmp_path / 'out').exists()


def test_unknown_output_container_is_refused(infer, parser_files, clip, tmp_path, capsys):
    config, checkpoint = parser_files
    assert infer(
        [config, checkpoint,
         str(clip), '--out-dir',
         str(tmp_path), '--video-out',
         str(tmp_path / 'x.gif')]) == 2
    assert 'x.gif: the output video must end in .mp4 or .avi' in capsys.readouterr().err
