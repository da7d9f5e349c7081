"""tools/infer.py on a tiny randomly initialised MMAN, mmseg's own inference APIs on the same
checkpoint, and the visual feedback of a 2-iteration training run."""
import glob
import importlib.util
import json
import os.path as osp

import cv2
import numpy as np
import pytest
from conftest import DEMO_CONFIG, LIP_FLIP_PAIRS, tiny_runner_cfg, tool_cli, write_tiny_parser
from mmengine.config import Config
from mmengine.runner import Runner
from mmseg.datasets import LIPDataset
from PIL import Image

from mmseg_mman.apis import inference_pipeline, init_parser, parse_image, read_image

LIP_CLASSES = LIPDataset.METAINFO['classes']
LIP_PALETTE = [list(colour) for colour in LIPDataset.METAINFO['palette']]


@pytest.fixture(scope='module')
def parser_files(synthetic_lip, tmp_path_factory):
    return write_tiny_parser(str(tmp_path_factory.mktemp('parser')), synthetic_lip)


@pytest.fixture(scope='module')
def infer():
    return tool_cli('infer.py')


def val_image(data_root: str, index: int) -> np.ndarray:
    return cv2.imread(osp.join(data_root, 'val_images', f'synth_val_{index:06d}.jpg'))


@pytest.fixture
def image_folder(synthetic_lip, tmp_path):
    """A colour JPEG, a grayscale PNG, an RGBA PNG and a file that is not an image."""
    folder = tmp_path / 'images'
    folder.mkdir()
    cv2.imwrite(str(folder / 'colour.jpg'), val_image(synthetic_lip, 0))
    cv2.imwrite(str(folder / 'gray.png'), cv2.cvtColor(val_image(synthetic_lip, 1), cv2.COLOR_BGR2GRAY))
    cv2.imwrite(str(folder / 'rgba.png'), cv2.cvtColor(val_image(synthetic_lip, 2), cv2.COLOR_BGR2BGRA))
    (folder / 'broken.jpg').write_bytes(b'\xff\xd8 truncated, not a JPEG')
    return folder


def test_folder_with_grayscale_rgba_and_broken_image(infer, parser_files, image_folder, tmp_path, capsys):
    config, checkpoint = parser_files
    out_dir = tmp_path / 'out'
    status = infer([config, checkpoint, str(image_folder), '--out-dir', str(out_dir), '--fractions', 'json'])
    assert status == 1  # the broken image
    assert 'broken.jpg: cannot be decoded' in capsys.readouterr().err
    assert not list(out_dir.glob('broken*'))
    for stem in ('colour', 'gray', 'rgba'):
        source = next(image_folder.glob(f'{stem}.*'))
        height, width = cv2.imread(str(source), cv2.IMREAD_UNCHANGED).shape[:2]
        index_png = Image.open(out_dir / f'{stem}.png')
        assert index_png.mode == 'P' and index_png.size == (width, height)
        assert np.array(index_png.getpalette()[:3 * len(LIP_PALETTE)]).reshape(-1, 3).tolist() == LIP_PALETTE
        labels = np.array(index_png)
        assert labels.max() < len(LIP_CLASSES)
        vis = cv2.imread(str(out_dir / f'{stem}_vis.png'))
        assert vis.shape[0] >= height and vis.shape[1] > 2 * width  # image | colour map | legend
        fractions = json.loads((out_dir / f'{stem}_fractions.json').read_text())
        assert [f['class_name'] for f in fractions] == list(LIP_CLASSES)
        assert sum(f['pixels'] for f in fractions) == height * width
        assert [f['pixels'] for f in fractions] == np.bincount(labels.ravel(), minlength=20).tolist()


def test_index_png_holds_the_parser_prediction(infer, parser_files, image_folder, tmp_path):
    config, checkpoint = parser_files
    status = infer([config, checkpoint, str(image_folder / 'gray.png'), '--out-dir', str(tmp_path)])
    assert status == 0
    model = init_parser(config, checkpoint)
    expected = parse_image(model, inference_pipeline(model.cfg), read_image(str(image_folder / 'gray.png')))
    assert np.array_equal(np.array(Image.open(tmp_path / 'gray.png')), expected)
    # grayscale input is replicated to 3 channels: the same prediction as the explicit conversion
    gray = cv2.imread(str(image_folder / 'gray.png'), cv2.IMREAD_GRAYSCALE)
    gray_bgr = cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)
    assert np.array_equal(parse_image(model, inference_pipeline(model.cfg), gray_bgr), expected)


def test_resume_skips_finished_images_and_force_redoes_them(infer, parser_files, image_folder, tmp_path):
    config, checkpoint = parser_files
    (image_folder / 'broken.jpg').unlink()
    out_dir = tmp_path / 'out'
    args = [config, checkpoint, str(image_folder), '--out-dir', str(out_dir), '--fractions', 'csv']
    assert infer(args) == 0
    (out_dir / 'gray_vis.png').unlink()  # as if interrupted while writing gray's outputs

    def written():
        return {path.name: path.stat().st_mtime_ns for path in out_dir.iterdir()}

    before = written()
    assert infer(args) == 0
    after = written()
    assert (out_dir / 'gray_vis.png').is_file()
    assert {name
            for name in after
            if after[name] != before.get(name)} == {'gray.png', 'gray_vis.png', 'gray_fractions.csv'}
    assert infer(args + ['--force']) == 0
    forced = written()
    assert all(forced[name] != after[name] for name in after)


def test_overlay_puts_the_colours_on_the_image(infer, parser_files, image_folder, tmp_path):
    config, checkpoint = parser_files
    assert infer(
        [config, checkpoint,
         str(image_folder / 'colour.jpg'), '--out-dir',
         str(tmp_path), '--overlay']) == 0
    image = cv2.imread(str(image_folder / 'colour.jpg'))
    vis = cv2.imread(str(tmp_path / 'colour_vis.png'))
    width = image.shape[1]
    assert width < vis.shape[1] < 2 * width + 100  # one image panel + legend
    assert not np.array_equal(vis[:image.shape[0], :width], image)


def test_glob_input(infer, parser_files, image_folder, tmp_path):
    config, checkpoint = parser_files
    assert infer([config, checkpoint, str(image_folder / '*.png'), '--out-dir', str(tmp_path)]) == 0
    assert sorted(
        p.name for p in tmp_path.glob('*.png')) == ['gray.png', 'gray_vis.png', 'rgba.png', 'rgba_vis.png']


def test_test_time_augmentation_is_mirror_equivariant_with_left_right_swapped(
        infer, parser_files, synthetic_lip, tmp_path):
    """--tta averages scales x {plain, flipped}: parsing a mirrored image gives the mirrored parsing
    with left and right classes swapped, exactly."""
    config, checkpoint = parser_files
    image = val_image(synthetic_lip, 0)
    cv2.imwrite(str(tmp_path / 'person.png'), image)
    cv2.imwrite(str(tmp_path / 'mirrored.png'), image[:, ::-1])
    out_dir = tmp_path / 'out'
    assert infer([config, checkpoint, str(tmp_path / '*.png'), '--out-dir', str(out_dir), '--tta']) == 0
    person = np.array(Image.open(out_dir / 'person.png'))
    mirrored = np.array(Image.open(out_dir / 'mirrored.png'))
    swap = np.arange(len(LIP_CLASSES))
    for left, right in LIP_FLIP_PAIRS:
        swap[left], swap[right] = right, left
    assert np.isin(person, np.array(LIP_FLIP_PAIRS).ravel()).any()
    assert np.array_equal(swap[person[:, ::-1]], mirrored)


@pytest.mark.parametrize('make_input',
                         [lambda tmp: tmp, lambda tmp: tmp / 'missing', lambda tmp: tmp / '*.jpg'])
def test_input_without_images_is_a_clear_error(infer, parser_files, tmp_path, capsys, make_input):
    config, checkpoint = parser_files
    (tmp_path / 'notes.txt').write_text('not an image')
    source = str(make_input(tmp_path))
    assert infer([config, checkpoint, source, '--out-dir', str(tmp_path / 'out')]) == 2
    error = capsys.readouterr().err
    assert source in error and ('names no image' in error or 'no such file' in error)


def test_output_folder_that_would_overwrite_inputs_is_refused(infer, parser_files, image_folder, capsys):
    config, checkpoint = parser_files
    before = (image_folder / 'gray.png').read_bytes()
    assert infer([config, checkpoint, str(image_folder), '--out-dir', str(image_folder)]) == 2
    assert 'would overwrite an input image' in capsys.readouterr().err
    assert (image_folder / 'gray.png').read_bytes() == before


def test_checkpoint_with_another_class_count_is_refused(infer, parser_files, image_folder, tmp_path, capsys):
    config, checkpoint = parser_files
    status = infer([
        config, checkpoint,
        str(image_folder / 'colour.jpg'), '--out-dir',
        str(tmp_path), '--cfg-options', 'model.decode_head.num_classes=7'
    ])
    assert status == 2
    error = capsys.readouterr().err
    assert 'predicts 20 classes' in error and 'num_classes=7' in error and checkpoint in error


def test_mmseg_apis_work_with_an_mman_checkpoint(parser_files, synthetic_lip, tmp_path):
    """mmseg's init_model / inference_model / show_result_pyplot and MMSegInferencer: classes and
    palette come from the checkpoint, predictions equal tools/infer.py's."""
    from mmseg.apis import MMSegInferencer, inference_model, init_model, show_result_pyplot
    config, checkpoint = parser_files
    image_path = osp.join(synthetic_lip, 'val_images', 'synth_val_000003.jpg')
    ours = init_parser(config, checkpoint)
    expected = parse_image(ours, inference_pipeline(ours.cfg), read_image(image_path))

    model = init_model(config, checkpoint, device='cpu')
    assert list(model.dataset_meta['classes']) == list(LIP_CLASSES)
    result = inference_model(model, image_path)
    assert np.array_equal(result.pred_sem_seg.data[0].numpy(), expected)
    drawn = show_result_pyplot(model, image_path, result, show=False, out_file=str(tmp_path / 'vis.png'))
    assert drawn.shape[0] == expected.shape[0] and (tmp_path / 'vis.png').is_file()

    inferencer = MMSegInferencer(model=config, weights=checkpoint, device='cpu')
    outputs = inferencer(image_path, return_datasamples=True)
    assert np.array_equal(outputs.pred_sem_seg.data[0].numpy(), expected)


# ------------------------------------------------------------------ visual feedback during training

TRAINING_LOG_KEYS = {
    'loss', 'decode.loss_ce', 'decode.loss_ce_low', 'decode.acc_seg', 'adv.loss_macro', 'adv.loss_micro',
    'disc_loss', 'disc_macro.loss_real', 'disc_macro.loss_fake', 'disc_macro.score_real',
    'disc_macro.score_fake', 'disc_micro.loss_real', 'disc_micro.loss_fake', 'disc_micro.score_real',
    'disc_micro.score_fake', 'mIoU'
}


def tensorboard_available() -> bool:
    return importlib.util.find_spec('tensorboard') is not None


def test_validation_draws_predictions_next_to_ground_truth_and_logs_every_term(synthetic_lip, tmp_path):
    """SegVisualizationHook and the visualiser of our configs, with draw=True, on a 2-iteration run:
    one picture per validation image (ground truth | prediction), and every loss term and D score in
    vis_data/scalars.json (and TensorBoard events when tensorboard is installed)."""
    demo = Config.fromfile(DEMO_CONFIG)
    assert demo.default_hooks.visualization.type == 'SegVisualizationHook'
    cfg = tiny_runner_cfg(synthetic_lip, str(tmp_path), max_iters=2)
    cfg['default_hooks']['visualization'] = dict(demo.default_hooks.visualization, draw=True, interval=1)
    backends = list(demo.vis_backends)
    if tensorboard_available():
        backends.append(dict(type='TensorboardVisBackend'))
    # a fresh name: mmengine would otherwise reuse an instance named 'visualizer' made by another test
    cfg['visualizer'] = dict(demo.visualizer, vis_backends=backends, name=f'visualizer_{tmp_path.name}')
    Runner.from_cfg(Config(cfg)).train()

    vis_dir = glob.glob(osp.join(str(tmp_path), '*', 'vis_data'))[0]
    pictures = sorted(glob.glob(osp.join(vis_dir, 'vis_image', 'val_synth_val_*.png')))
    assert len(pictures) == 4
    image = val_image(synthetic_lip, 0)
    drawn = cv2.imread(pictures[0])
    height, width = image.shape[:2]
    assert drawn.shape[:2] == (height, 2 * width)  # ground truth | prediction
    assert not np.array_equal(drawn[:, :width], drawn[:, width:])
    logged = set().union(*(json.loads(line) for line in open(osp.join(vis_dir, 'scalars.json'))))
    assert TRAINING_LOG_KEYS <= logged
    if tensorboard_available():
        assert glob.glob(osp.join(vis_dir, '**', 'events.out.tfevents.*'), recursive=True)


def test_an_out_dir_that_cannot_be_written_fails_before_the_model_loads(infer, image_folder, tmp_path,
                                                                        capsys):
    blocker = tmp_path / 'taken'
    blocker.write_text('a file where the output folder should go')
    missing_checkpoint = str(tmp_path / 'never_read.pth')
    status = infer([
        str(tmp_path / 'no_config.py'), missing_checkpoint,
        str(image_folder), '--out-dir',
        str(blocker / 'out')
    ])
    error = capsys.readouterr().err
    assert status == 2 and 'cannot write into' in error and str(blocker / 'out') in error
    assert 'never_read.pth' not in error  # checked before the config and checkpoint are read
