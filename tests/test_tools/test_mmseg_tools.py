"""MMSegmentation's own tools (``mmseg/.mim/tools``) on the default install (mmcv-lite) with this project's
configs, each run once as a user runs it: a fresh interpreter that imports mmseg before the config's
``custom_imports`` (the start-up hook of ``mmseg_mman/utils/mmcv_ops_hook.py`` puts the mmcv.ops fallback
in place), on a tiny MMAN and four synthetic LIP images.

The runs are independent processes; they start together (two at a time) in one fixture, and each
test checks what its tool wrote.
"""
import glob
import json
import os
import os.path as osp
import struct
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor

import cv2
import mmseg
import numpy as np
import pytest
import torch
from conftest import write_tiny_parser
from mmengine.config import Config

MMSEG_TOOLS = osp.join(osp.dirname(mmseg.__file__), '.mim', 'tools')
NUM_CLASSES = 20
IMG_SIZE = 64
# benchmark.py reports a speed only after 200 test images (5 of them warm-up): small ones.
BENCHMARK_IMAGES = 200
BENCHMARK_SIZE = 48

#: mmseg tools that import a package this project does not depend on: tool -> that package's module.
#: (visualization_cam.py: pytorch-grad-cam pulls torchvision, which has no build for this torch here;
#: analyze_logs.py: seaborn, with pandas; torchserve/: TorchServe and its model archiver.)
NEEDS_PACKAGE = {
    'analysis_tools/visualization_cam.py': 'pytorch_grad_cam',
    'analysis_tools/analyze_logs.py': 'seaborn',
    'torchserve/mmseg2torchserve.py': 'model_archiver',
    'torchserve/mmseg_handler.py': 'ts',
    'torchserve/test_torchserve.py': 'requests',
    'dataset_converters/cityscapes.py': 'cityscapesscripts',
    'dataset_converters/pascal_context.py': 'detail',
    'dataset_converters/synapse.py': 'nibabel',
}


def tool_env() -> dict:
    # No PYTHONPATH: the tools see the installed package and its start-up hook, as a user's shell does.
    return dict(os.environ, OMP_NUM_THREADS='1', MPLBACKEND='Agg')


def run_mmseg_tool(tool: str, *args: str, cwd: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, osp.join(MMSEG_TOOLS, tool), *map(str, args)],
                          cwd=cwd,
                          env=tool_env(),
                          capture_output=True,
                          text=True,
                          timeout=600)


def explain(proc: subprocess.CompletedProcess) -> str:
    return f'exit {proc.returncode}\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}'


def write_configs(root: str) -> dict:
    """The tiny MMAN config (low-resolution output on, for the configs' LowResIoUMetric), a
    published (weights-only) checkpoint, and a benchmark config whose test set repeats the
    validation images, resized to ``BENCHMARK_SIZE``, up to ``BENCHMARK_IMAGES``."""
    from mmseg_mman.synthetic import generate_synthetic_lip
    data_root = osp.join(root, 'lip')
    generate_synthetic_lip(data_root, num_train=2, num_val=2, img_size=IMG_SIZE, seed=0, overwrite=True)
    config, checkpoint = write_tiny_parser(root, data_root)
    cfg = Config.fromfile(config)
    cfg.model.test_cfg.low_res_prediction = True
    cfg.dump(config)
    bench = Config.fromfile(config)
    (resize, ) = [
        step for step in bench.test_dataloader.dataset.pipeline if step.type == 'ResizeShortestEdge'
    ]
    resize.update(scale=BENCHMARK_SIZE, max_size=BENCHMARK_SIZE)
    bench.test_dataloader.dataset = dict(
        type='RepeatDataset', times=BENCHMARK_IMAGES // 2, dataset=bench.test_dataloader.dataset)
    bench_config = osp.join(root, 'bench.py')
    bench.dump(bench_config)
    return dict(
        root=root, data_root=data_root, config=config, checkpoint=checkpoint, bench_config=bench_config)


def help_sweep(root: str) -> subprocess.CompletedProcess:
    """``--help`` of every Python tool, one interpreter, each tool's module code run as ``__main__``:
    prints ``status<TAB>tool<TAB>ok`` (or ``missing:<module>``, or ``error:<message>``)."""
    code = textwrap.dedent(f"""
        import glob, os.path as osp, runpy, sys
        tools = {MMSEG_TOOLS!r}
        for path in sorted(glob.glob(osp.join(tools, '**', '*.py'), recursive=True)):
            tool = osp.relpath(path, tools)
            sys.argv = [path, '--help']
            try:
                runpy.run_path(path, run_name='__main__')
                status = 'error:no-exit'
            except SystemExit as exit:
                status = 'ok' if exit.code in (0, None) else f'error:exit {{exit.code}}'
            except ModuleNotFoundError as error:
                status = f'missing:{{error.name}}'
            except ImportError as error:  # mmseg2torchserve.py re-raises ImportError itself
                status = f'missing:{{str(error).split()[0]}}'
            except BaseException as error:
                status = f'error:{{type(error).__name__}}: {{error}}'
            print(f'status\\t{{tool}}\\t{{status}}', flush=True)
    """)
    return subprocess.run([sys.executable, '-c', code],
                          cwd=root,
                          env=tool_env(),
                          capture_output=True,
                          text=True,
                          timeout=600)


def run_test_and_confusion_matrix(files: dict) -> tuple:
    """mmseg's tools/test.py keeps IoUMetric's predictions (``--out`` indexes test_evaluator as one
    dict; these configs have a list), then confusion_matrix.py reads them."""
    root = files['root']
    test = run_mmseg_tool(
        'test.py',
        files['config'],
        files['checkpoint'],
        '--work-dir',
        osp.join(root, 'test'),
        '--cfg-options',
        f'test_evaluator.0.output_dir={osp.join(root, "pred")}',
        cwd=root)
    matrix = run_mmseg_tool(
        'analysis_tools/confusion_matrix.py',
        files['config'],
        osp.join(root, 'pred'),
        osp.join(root, 'matrix'),
        cwd=root)
    return test, matrix


@pytest.fixture(scope='module')
def runs(tmp_path_factory) -> dict:
    root = str(tmp_path_factory.mktemp('mmseg_tools'))
    files = write_configs(root)
    config, checkpoint = files['config'], files['checkpoint']
    jobs = {
        'help':
        lambda: help_sweep(root),
        'test+matrix':
        lambda: run_test_and_confusion_matrix(files),
        'browse':
        lambda: run_mmseg_tool(
            'analysis_tools/browse_dataset.py',
            config,
            '--not-show',
            '--output-dir',
            osp.join(root, 'browse'),
            cwd=root),
        'misc_browse':
        lambda: run_mmseg_tool(
            'misc/browse_dataset.py',
            config,
            '--not-show',
            '--output-dir',
            osp.join(root, 'misc_browse'),
            cwd=root),
        'benchmark':
        lambda: run_mmseg_tool(
            'analysis_tools/benchmark.py',
            files['bench_config'],
            checkpoint,
            '--work-dir',
            osp.join(root, 'benchmark'),
            '--repeat-times',
            1,
            cwd=root),
        # one iteration, no validation (test.py evaluates)
        'train':
        lambda: run_mmseg_tool(
            'train.py',
            config,
            '--work-dir',
            osp.join(root, 'train'),
            '--cfg-options',
            'train_cfg.max_iters=1',
            'default_hooks.checkpoint.interval=1',
            'val_cfg=None',
            'val_dataloader=None',
            'val_evaluator=None',
            cwd=root),
        'print_config':
        lambda: run_mmseg_tool('misc/print_config.py', config, cwd=root),
        'publish':
        lambda: run_mmseg_tool(
            'misc/publish_model.py', checkpoint, osp.join(root, 'published.pth'), cwd=root),
    }
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(job) for name, job in jobs.items()}
        results = {name: future.result() for name, future in futures.items()}
    return dict(results, files=files)


def read_image(path: str) -> np.ndarray:
    image = cv2.imread(path)
    assert image is not None, f'{path} is not an image'
    return image


def test_every_tool_imports_or_names_the_missing_package(runs):
    proc = runs['help']
    assert proc.returncode == 0, explain(proc)
    statuses = dict(line.split('\t')[1:] for line in proc.stdout.splitlines() if line.startswith('status\t'))
    assert len(statuses) >= 40 and 'analysis_tools/get_flops.py' in statuses
    for tool, status in statuses.items():
        package = NEEDS_PACKAGE.get(tool)
        if package is None or status == 'ok':
            assert status == 'ok', f'{tool}: {status}'
        else:
            assert status == f'missing:{package}' or package in status, f'{tool}: {status}'
    assert 'mmcv._ext' not in proc.stdout + proc.stderr


def test_browse_dataset_draws_every_training_image(runs):
    proc = runs['browse']
    assert proc.returncode == 0, explain(proc)
    files = runs['files']
    train_images = sorted(os.listdir(osp.join(files['data_root'], 'train_images')))
    out_dir = osp.join(files['root'], 'browse')
    assert sorted(os.listdir(out_dir)) == train_images
    for name in train_images:
        # the training pipeline's crop, with the label map blended in
        drawn = read_image(osp.join(out_dir, name))
        assert drawn.shape == (IMG_SIZE, IMG_SIZE, 3) and drawn.std() > 10


def test_misc_browse_dataset_saves_through_the_visualizer_backend(runs):
    proc = runs['misc_browse']
    assert proc.returncode == 0, explain(proc)
    files = runs['files']
    saved = sorted(glob.glob(osp.join(files['root'], 'misc_browse', 'vis_data', 'vis_image', '*.png')))
    assert len(saved) == len(os.listdir(osp.join(files['data_root'], 'train_images')))
    for path in saved:
        assert read_image(path).shape == (IMG_SIZE, IMG_SIZE, 3)


def test_test_py_scores_a_published_checkpoint_and_keeps_predictions(runs):
    proc, _ = runs['test+matrix']
    assert proc.returncode == 0, explain(proc)
    assert 'mIoU' in proc.stdout + proc.stderr
    files = runs['files']
    val_stems = sorted(
        osp.splitext(name)[0] for name in os.listdir(osp.join(files['data_root'], 'val_images')))
    pred_dir = osp.join(files['root'], 'pred')
    assert sorted(osp.splitext(name)[0] for name in os.listdir(pred_dir)) == val_stems
    for stem in val_stems:
        prediction = cv2.imread(osp.join(pred_dir, f'{stem}.png'), cv2.IMREAD_UNCHANGED)
        label = cv2.imread(
            osp.join(files['data_root'], 'val_segmentations', f'{stem}.png'), cv2.IMREAD_UNCHANGED)
        assert prediction.shape == label.shape and prediction.max() < NUM_CLASSES


def test_confusion_matrix_plots_the_predictions(runs):
    _, proc = runs['test+matrix']
    assert proc.returncode == 0, explain(proc)
    # 20 classes at 300 dpi: 12000 x 9600 pixels, so only the PNG header is read
    with open(osp.join(runs['files']['root'], 'matrix', 'confusion_matrix.png'), 'rb') as f:
        header = f.read(24)
    assert header[:8] == b'\x89PNG\r\n\x1a\n'
    width, height = struct.unpack('>II', header[16:24])
    assert min(width, height) > 1000


def test_benchmark_reports_a_speed(runs):
    proc = runs['benchmark']
    assert proc.returncode == 0, explain(proc)
    (report, ) = glob.glob(osp.join(runs['files']['root'], 'benchmark', 'fps_*.json'))
    with open(report) as f:
        fps = json.load(f)
    assert fps['overall_fps_1'] > 0 and fps['average_fps'] == fps['overall_fps_1']


def test_train_py_trains_and_saves(runs):
    proc = runs['train']
    assert proc.returncode == 0, explain(proc)
    work_dir = osp.join(runs['files']['root'], 'train')
    assert osp.isfile(osp.join(work_dir, 'iter_1.pth'))
    with open(osp.join(work_dir, 'last_checkpoint')) as f:
        assert f.read().strip() == osp.join(work_dir, 'iter_1.pth')


def test_print_config_prints_and_dumps_the_config(runs):
    proc = runs['print_config']
    assert proc.returncode == 0, explain(proc)
    assert "type='AdversarialEncoderDecoder'" in proc.stdout
    dumped = Config.fromfile(osp.join(runs['files']['root'], 'example.py'))
    assert dumped.model.decode_head.type == 'MMANHead'


def test_publish_model_keeps_the_weights(runs):
    proc = runs['publish']
    assert proc.returncode == 0, explain(proc)
    files = runs['files']
    (published, ) = glob.glob(osp.join(files['root'], 'published-*.pth'))
    original = torch.load(files['checkpoint'], map_location='cpu', weights_only=True)['state_dict']
    weights = torch.load(published, map_location='cpu', weights_only=True)['state_dict']
    assert weights.keys() == original.keys()
    assert all(torch.equal(weights[key], original[key]) for key in original)
