"""Shared fixtures: every test runs single-threaded in mmseg's registry scope with tiny models."""
# isort: off
import mmseg_mman  # noqa: F401  (first: registers the plugin and the mmcv-ops fallback)
# isort: on
import copy
import os
import os.path as osp
import socket
import subprocess
import sys

import pytest
import torch
from mmengine.config import Config
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample
from mmseg.utils import register_all_modules

torch.set_num_threads(1)
register_all_modules(init_default_scope=True)

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
NUM_CLASSES = 20
LIP_FLIP_PAIRS = [(14, 15), (16, 17), (18, 19)]


def tiny_model_cfg(discriminators=None, size=64, with_mid_output=False, **kwargs) -> dict:
    """An AdversarialEncoderDecoder on ResNetV1c-18 (output stride 16) with a narrow MMANHead."""
    cfg = dict(
        type='AdversarialEncoderDecoder',
        data_preprocessor=dict(
            type='SegDataPreProcessor',
            mean=[123.675, 116.28, 103.53],
            std=[58.395, 57.12, 57.375],
            bgr_to_rgb=True,
            pad_val=0,
            seg_pad_val=255,
            size=(size, size)),
        backbone=dict(
            type='ResNetV1c',
            depth=18,
            num_stages=4,
            out_indices=(0, 1, 2, 3),
            dilations=(1, 1, 1, 2),
            strides=(1, 2, 2, 1),
            norm_cfg=dict(type='BN', requires_grad=True),
            norm_eval=True,
            style='pytorch',
            contract_dilation=True),
        decode_head=dict(
            type='MMANHead',
            in_channels=[64, 128, 256, 512],
            in_index=[0, 1, 2, 3],
            channels=16,
            skip_channels=8,
            decoder_channels=(32, 16, 16),
            final_upsample_channels=(16, 16),
            num_classes=NUM_CLASSES,
            with_mid_output=with_mid_output,
            decoder_dropout_ratio=0.0,
            dropout_ratio=0.0),
        discriminators=copy.deepcopy(discriminators),
        test_cfg=dict(mode='whole', flip_pairs=LIP_FLIP_PAIRS))
    cfg.update(kwargs)
    return cfg


def tiny_seenet_cfg(num_classes=4, size=64, self_erasing=True, **head_kwargs) -> dict:
    """A SeeNet classifier on ResNetV1c-18 (output stride 16) with 16-channel branches."""
    return dict(
        type='SeeNet',
        data_preprocessor=dict(
            type='SegDataPreProcessor',
            mean=[123.675, 116.28, 103.53],
            std=[58.395, 57.12, 57.375],
            bgr_to_rgb=True,
            size=(size, size)),
        backbone=dict(
            type='ResNetV1c',
            depth=18,
            num_stages=4,
            out_indices=(3, ),
            dilations=(1, 1, 1, 2),
            strides=(1, 2, 2, 1),
            norm_cfg=dict(type='BN', requires_grad=True),
            contract_dilation=True),
        decode_head=dict(
            type='SeeNetHead',
            in_channels=512,
            in_index=0,
            channels=16,
            num_classes=num_classes,
            self_erasing=self_erasing,
            **head_kwargs))


def make_tagged_batch(tags, size=64, seed=0) -> dict:
    """Raw images with ``tags`` metainfo (one tuple of class ids per sample) and no label map."""
    gen = torch.Generator().manual_seed(seed)
    samples = []
    for i, sample_tags in enumerate(tags):
        sample = SegDataSample()
        sample.set_metainfo(
            dict(
                tags=tuple(sample_tags),
                img_path=f'img{i}.png',
                img_shape=(size, size),
                ori_shape=(size, size),
                pad_shape=(size, size)))
        samples.append(sample)
    inputs = [torch.randint(0, 256, (3, size, size), generator=gen).float() for _ in tags]
    return dict(inputs=inputs, data_samples=samples)


MMAN_DISCRIMINATORS = dict(
    macro=dict(type='MacroDiscriminator', output='low', base_channels=8),
    micro=dict(type='MicroDiscriminator', output='high', base_channels=8))

GAN_OPTIM_WRAPPER = dict(
    constructor='SegGANOptimWrapperConstructor',
    generator=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-3, betas=(0.9, 0.999))),
    discriminator=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-3, betas=(0.9, 0.999))))


def make_batch(batch_size=2, size=64, seed=0, ignore_corner=True) -> dict:
    """Raw (un-preprocessed) images and labels as a dataloader would yield them."""
    gen = torch.Generator().manual_seed(seed)
    samples = []
    for _ in range(batch_size):
        label = torch.randint(0, NUM_CLASSES, (1, size, size), generator=gen)
        if ignore_corner:
            label[:, :size // 4, :size // 4] = 255
        sample = SegDataSample(gt_sem_seg=PixelData(data=label))
        sample.set_metainfo(dict(img_shape=(size, size), ori_shape=(size, size), pad_shape=(size, size)))
        samples.append(sample)
    inputs = [torch.randint(0, 256, (3, size, size), generator=gen).float() for _ in range(batch_size)]
    return dict(inputs=inputs, data_samples=samples)


@pytest.fixture
def batch():
    return make_batch()


def tiny_runner_cfg(data_root: str,
                    work_dir: str,
                    max_iters: int = 4,
                    discriminators=MMAN_DISCRIMINATORS,
                    crop=64,
                    **model_kwargs) -> dict:
    """A complete, deterministic Runner config training the tiny model on a synthetic LIP tree."""
    train_pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='LoadAnnotations'),
        dict(type='Resize', scale=(crop, crop), keep_ratio=False),
        dict(type='RandomFlip', prob=0.5, swap_seg_labels=LIP_FLIP_PAIRS),
        dict(type='PackSegInputs'),
    ]
    test_pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='Resize', scale=(crop, crop), keep_ratio=False),
        dict(type='LoadAnnotations'),
        dict(type='PackSegInputs'),
    ]

    def loader(split, pipeline, sampler):
        return dict(
            batch_size=2 if split == 'train' else 1,
            num_workers=0,
            sampler=sampler,
            dataset=dict(
                type='LIPDataset',
                data_root=data_root,
                pipeline=pipeline,
                data_prefix=dict(img_path=f'{split}_images', seg_map_path=f'{split}_segmentations')))

    optim_wrapper = copy.deepcopy(GAN_OPTIM_WRAPPER) if discriminators else dict(
        constructor='SegGANOptimWrapperConstructor', generator=copy.deepcopy(GAN_OPTIM_WRAPPER['generator']))
    return dict(
        default_scope='mmseg',
        custom_imports=dict(imports=['mmseg_mman'], allow_failed_imports=False),
        work_dir=work_dir,
        model=tiny_model_cfg(discriminators, size=crop, **model_kwargs),
        train_dataloader=loader('train', train_pipeline, dict(type='InfiniteSampler', shuffle=True)),
        val_dataloader=loader('val', test_pipeline, dict(type='DefaultSampler', shuffle=False)),
        test_dataloader=loader('val', test_pipeline, dict(type='DefaultSampler', shuffle=False)),
        val_evaluator=dict(type='IoUMetric', iou_metrics=['mIoU']),
        test_evaluator=dict(type='IoUMetric', iou_metrics=['mIoU']),
        optim_wrapper=optim_wrapper,
        param_scheduler=[dict(type='MultiStepLR', by_epoch=False, milestones=[max_iters // 2], gamma=0.1)],
        train_cfg=dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=max_iters),
        val_cfg=dict(type='ValLoop'),
        test_cfg=dict(type='TestLoop'),
        default_hooks=dict(
            timer=dict(type='IterTimerHook'),
            logger=dict(type='LoggerHook', interval=1, log_metric_by_epoch=False),
            param_scheduler=dict(type='ParamSchedulerHook'),
            checkpoint=dict(type='CheckpointHook', by_epoch=False, interval=max(1, max_iters // 2)),
            sampler_seed=dict(type='DistSamplerSeedHook')),
        log_processor=dict(by_epoch=False),
        randomness=dict(seed=0),
        env_cfg=dict(
            cudnn_benchmark=False, mp_cfg=dict(mp_start_method='fork'), dist_cfg=dict(backend='gloo')),
        model_wrapper_cfg=dict(
            type='MMSeparateDistributedDataParallel', broadcast_buffers=False, find_unused_parameters=False),
        log_level='WARNING',
    )


@pytest.fixture(scope='session')
def synthetic_lip(tmp_path_factory) -> str:
    """A small synthetic LIP tree shared by the runner-level tests."""
    from mmseg_mman.synthetic import generate_synthetic_lip
    root = tmp_path_factory.mktemp('synthetic_lip')
    generate_synthetic_lip(str(root), num_train=8, num_val=4, img_size=64, seed=0, overwrite=True)
    return str(root)


def subprocess_env() -> dict:
    """Environment for a child process: one thread, and the checkout importable without installing."""
    return dict(
        os.environ,
        OMP_NUM_THREADS='1',
        PYTHONPATH=os.pathsep.join([REPO_ROOT, os.environ.get('PYTHONPATH', '')]))


def run_script(script: str, *args: str) -> subprocess.CompletedProcess:
    """Run the script ``script`` (relative to the repository root, e.g. ``demo/adaptation_demo.py``)
    from the repository root, capturing its output."""
    return subprocess.run([sys.executable, osp.join(REPO_ROOT, script), *args],
                          cwd=REPO_ROOT,
                          env=subprocess_env(),
                          capture_output=True,
                          text=True,
                          timeout=600)


def run_tool(tool: str, *args: str) -> subprocess.CompletedProcess:
    """Run ``tools/<tool>`` from the repository root, capturing its output."""
    return run_script(osp.join('tools', tool), *args)


def tool_cli(tool: str):
    """``tools/<tool>`` as a function ``argv -> exit status`` that runs it as a user does (a fresh
    process) and prints what it printed to this process's stdout / stderr (so ``capsys`` sees it)."""

    def main(argv) -> int:
        proc = run_tool(tool, *map(str, argv))
        sys.stdout.write(proc.stdout)
        sys.stderr.write(proc.stderr)
        return proc.returncode

    return main


#: The CPU demo's MMAN config, the base of the tiny test models' configs.
DEMO_CONFIG = osp.join(REPO_ROOT, 'configs', 'demo', 'mman_r18-d16_1xb8-0.4k_synthetic-lip-64x64.py')


def write_tiny_parser(directory: str, data_root: str) -> tuple:
    """The demo config with the tiny test model (a file) and a weights-only checkpoint of that model,
    randomly initialised (torch's default init: logits of order 1), with LIP classes and palette.
    Test images are padded to a multiple of 16 (cropped back after), as in the real configs."""
    from mmseg.datasets import LIPDataset
    from mmseg.registry import MODELS
    cfg = Config.fromfile(DEMO_CONFIG)
    cfg.model = tiny_model_cfg(MMAN_DISCRIMINATORS)
    cfg.model.data_preprocessor.test_cfg = dict(size_divisor=16)
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].dataset.data_root = data_root
    config = osp.join(directory, 'tiny_mman.py')
    cfg.dump(config)
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    checkpoint = osp.join(directory, 'tiny_mman.pth')
    palette = [list(colour) for colour in LIPDataset.METAINFO['palette']]
    torch.save(
        dict(
            state_dict=model.state_dict(),
            meta=dict(dataset_meta=dict(classes=list(LIPDataset.METAINFO['classes']), palette=palette))),
        checkpoint)
    return config, checkpoint


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def train_on_two_cpu_ranks(cfg: Config, work_dir: str) -> list:
    """Train ``cfg`` with torchrun on 2 gloo processes (set up by ``setup_cpu_distributed`` as
    tools/train.py does); return each rank's final parameters."""
    cfg.work_dir = work_dir
    cfg_path = osp.join(work_dir, 'ddp_cfg.py')
    cfg.dump(cfg_path)
    worker = osp.join(REPO_ROOT, 'tests', 'test_engine', 'test_runner', 'ddp_train_worker.py')
    cmd = [
        sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node', '2', '--master_addr', '127.0.0.1',
        '--master_port',
        str(free_port()), worker, cfg_path
    ]
    proc = subprocess.run(cmd, env=subprocess_env(), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return [torch.load(osp.join(work_dir, f'rank{r}.pth')) for r in (0, 1)]
