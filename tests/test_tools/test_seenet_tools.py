"""The weak-supervision path as a user runs it: make synthetic data, train the tag classifier with
tools/train.py, write pseudo labels with tools/test.py --out, train a stock mmseg segmentor on them."""
import glob
import os.path as osp
import subprocess
import sys

import cv2
import numpy as np
import torch
from conftest import REPO_ROOT, subprocess_env
from mmseg.registry import DATASETS, MODELS

from mmseg_mman.synthetic.weak import generate_synthetic_weak

CONFIG = osp.join(REPO_ROOT, 'configs', 'seenet', 'seenet_r18-d8_1xb8-1k_synthetic-weak-64x64.py')
TINY = [
    'train_cfg.max_iters=2', 'train_cfg.val_interval=2', 'default_hooks.checkpoint.interval=2',
    'train_dataloader.batch_size=2', 'model.decode_head.channels=8', 'model.decode_head.warmup_iters=1'
]


def run(tool, data_root, *args):
    env = dict(subprocess_env(), SYNTHETIC_WEAK_ROOT=data_root)
    proc = subprocess.run([sys.executable, osp.join(REPO_ROOT, 'tools', tool), *args],
                          cwd=REPO_ROOT,
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


def test_train_then_write_pseudo_labels_that_train_a_segmentor(tmp_path):
    data_root = str(tmp_path / 'data')
    generate_synthetic_weak(data_root, num_train=4, num_val=2, img_size=64, seed=0)
    work_dir = str(tmp_path / 'work')
    run('train.py', data_root, CONFIG, '--work-dir', work_dir, '--cfg-options', *TINY)
    checkpoint = osp.join(work_dir, 'iter_2.pth')
    out_dir = str(tmp_path / 'pseudo')
    proc = run('test.py', data_root, CONFIG, checkpoint, '--trust-checkpoint', '--out', out_dir, '--work-dir',
               work_dir, '--cfg-options', 'model.decode_head.channels=8')
    assert 'coverage@0.3' in proc.stdout + proc.stderr
    pngs = sorted(glob.glob(osp.join(out_dir, '*.png')))
    assert [osp.basename(p) for p in pngs] == [f'{i:06d}.png' for i in range(4)]  # the training images
    tags = dict(line.split(maxsplit=1) for line in open(osp.join(data_root, 'tags', 'train.txt')))
    for png in pngs:
        label = cv2.imread(png, cv2.IMREAD_UNCHANGED)
        assert label.dtype == np.uint8 and label.shape == (64, 64)
        allowed = {0, 255, *map(int, tags[osp.basename(png)[:-4]].split())}
        assert set(np.unique(label).tolist()) <= allowed
    # Stage 3: a stock mmseg segmentor reads the pseudo labels with LoadAnnotations and trains on them.
    dataset = DATASETS.build(
        dict(
            type='BaseSegDataset',
            data_root=data_root,
            metainfo=dict(classes=('background', 'red', 'green', 'blue')),
            img_suffix='.png',
            seg_map_suffix='.png',
            data_prefix=dict(img_path='img_dir/train', seg_map_path=out_dir),
            pipeline=[
                dict(type='LoadImageFromFile'),
                dict(type='LoadAnnotations'),
                dict(type='PackSegInputs')
            ]))
    batch = dict(inputs=[], data_samples=[])
    for i in range(2):
        item = dataset[i]
        loaded = item['data_samples'].gt_sem_seg.data[0].numpy()
        assert np.array_equal(loaded, cv2.imread(pngs[i], cv2.IMREAD_UNCHANGED))
        batch['inputs'].append(item['inputs'])
        batch['data_samples'].append(item['data_samples'])
    segmentor = MODELS.build(
        dict(
            type='EncoderDecoder',
            data_preprocessor=dict(
                type='SegDataPreProcessor', mean=[0, 0, 0], std=[255, 255, 255], size=(64, 64)),
            backbone=dict(type='ResNetV1c', depth=18, base_channels=8, stem_channels=8, out_indices=(3, )),
            decode_head=dict(
                type='FCNHead', in_channels=64, in_index=0, channels=8, num_convs=1, num_classes=4)))
    data = segmentor.data_preprocessor(batch, True)
    loss = sum(v for k, v in segmentor.loss(**data).items() if 'loss' in k)
    assert torch.isfinite(loss)
    loss.backward()
