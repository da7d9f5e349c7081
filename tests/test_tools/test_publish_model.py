"""tools/misc/publish_model.py on the checkpoint of a real 2-iteration training run."""
import glob
import hashlib
import os.path as osp
import re

import numpy as np
import pytest
import torch
from conftest import tiny_runner_cfg, tool_cli
from mmengine.config import Config
from mmengine.runner import Runner

from mmseg_mman.apis import inference_pipeline, init_parser, parse_image, read_image
from mmseg_mman.utils import register_safe_checkpoint_loader, trusted_checkpoints


@pytest.fixture(scope='module')
def trained(synthetic_lip, tmp_path_factory):
    """The config (as a Config) and the final checkpoint of a 2-iteration MMAN run."""
    work_dir = str(tmp_path_factory.mktemp('publish_run'))
    cfg = Config(tiny_runner_cfg(synthetic_lip, work_dir, max_iters=2))
    Runner.from_cfg(cfg).train()
    return cfg, osp.join(work_dir, 'iter_2.pth')


@pytest.fixture(scope='module')
def publish():
    return tool_cli(osp.join('misc', 'publish_model.py'))


def test_publishing_a_checkpoint_that_does_not_fit_its_own_config_fails_naming_it(
        publish, trained, tmp_path, capsys):
    _, checkpoint = trained
    content = torch.load(checkpoint, map_location='cpu', weights_only=False)
    content['meta']['dataset_meta']['classes'] = content['meta']['dataset_meta']['classes'][:8]
    relabelled = str(tmp_path / 'relabelled.pth')
    torch.save(content, relabelled)
    assert publish([relabelled, str(tmp_path / 'mman')]) == 2
    error = capsys.readouterr().err
    expected = (f'{relabelled}: meta.dataset_meta names 8 classes but the config saved in {relabelled} '
                '(meta.cfg) builds a model with num_classes=20')
    assert expected in error
    assert sorted(p.name for p in tmp_path.iterdir()) == ['relabelled.pth']


def test_published_checkpoint_is_weights_only_hash_named_and_predicts_identically(
        publish, trained, synthetic_lip, tmp_path):
    cfg, checkpoint = trained
    assert publish([checkpoint, str(tmp_path / 'mman_tiny.pth')]) == 0  # untrusted: read, nothing executed
    [published] = glob.glob(str(tmp_path / 'mman_tiny-*.pth'))
    sha = hashlib.sha256(open(published, 'rb').read()).hexdigest()
    assert re.fullmatch(rf'mman_tiny-{sha[:8]}\.pth', osp.basename(published))

    content = torch.load(published, map_location='cpu', weights_only=True)
    assert set(content) == {'state_dict', 'meta'}
    assert set(content['meta']) == {'dataset_meta', 'cfg'}
    assert content['meta']['dataset_meta']['classes'][14] == 'Left-arm'
    original = torch.load(checkpoint, map_location='cpu', weights_only=False)
    assert any(key.startswith('discriminators.') for key in original['state_dict'])
    assert set(content['state_dict']) == {
        key
        for key in original['state_dict'] if not key.startswith('discriminators.')
    }
    assert osp.getsize(published) < osp.getsize(checkpoint) / 2

    register_safe_checkpoint_loader()
    image = read_image(osp.join(synthetic_lip, 'val_images', 'synth_val_000001.jpg'))
    from_published = init_parser(cfg, published)
    with trusted_checkpoints(checkpoint):
        from_training = init_parser(cfg, checkpoint)
    pipeline = inference_pipeline(from_published.cfg)
    assert np.array_equal(
        parse_image(from_published, pipeline, image), parse_image(from_training, pipeline, image))
    assert from_published.dataset_meta == from_training.dataset_meta
