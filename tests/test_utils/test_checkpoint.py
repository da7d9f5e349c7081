"""Checkpoint loading policy: weights-only unless trusted (mmseg_mman/utils/checkpoint.py)."""
import os
import subprocess
import sys
from collections import OrderedDict

import numpy as np
import pytest
import torch
import torch.nn as nn
from mmengine.logging import HistoryBuffer
from mmengine.runner.checkpoint import CheckpointLoader, load_checkpoint

from mmseg_mman.utils import CorruptCheckpointError, UnreadCheckpointEntryError
from mmseg_mman.utils import checkpoint as checkpoint_policy
from mmseg_mman.utils import (is_trusted_checkpoint, read_weights, register_safe_checkpoint_loader,
                              trust_checkpoint, trusted_checkpoints)


class MarkerPayload:
    """Unpickling it creates the directory ``path``: observable code execution."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):
        return os.mkdir, (self.path, )


@pytest.fixture(autouse=True)
def isolated_policy(monkeypatch):
    """Each test starts with no trusted path and restores mmengine's loaders afterwards."""
    monkeypatch.delenv('TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD', raising=False)
    monkeypatch.setattr(checkpoint_policy, '_trusted_paths', set())
    monkeypatch.setattr(CheckpointLoader, '_schemes', CheckpointLoader._schemes.copy())
    register_safe_checkpoint_loader()


def tiny_model(seed: int) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Conv2d(1, 2, kernel_size=1)


def save_full_training_checkpoint(path: str, model: nn.Module) -> None:
    """What mmengine's Runner writes: weights plus Python objects (HistoryBuffer)."""
    history = HistoryBuffer()
    history.update(0.5)
    torch.save(
        {
            'meta': {
                'epoch': 1,
                'iter': 10
            },
            'state_dict': model.state_dict(),
            'message_hub': {
                'log_scalars': {
                    'train/loss': history
                }
            },
        }, path)


def assert_same_weights(model: nn.Module, other: nn.Module) -> None:
    for name, value in model.state_dict().items():
        torch.testing.assert_close(value, other.state_dict()[name])


def test_loader_is_registered_for_local_paths():
    assert CheckpointLoader._get_checkpoint_loader('/some/file.pth') is (
        checkpoint_policy.load_from_local_with_trust_policy)
    # Remote schemes keep mmengine's loaders.
    assert CheckpointLoader._get_checkpoint_loader('https://example.org/a.pth').__name__ == 'load_from_http'


def test_weights_only_checkpoint_loads_untrusted(tmp_path):
    path = str(tmp_path / 'published.pth')
    source = tiny_model(seed=0)
    torch.save({'state_dict': source.state_dict(), 'meta': {'epoch': 3}}, path)
    target = tiny_model(seed=1)
    checkpoint = load_checkpoint(target, path, map_location='cpu')
    assert checkpoint['meta'] == {'epoch': 3}
    assert_same_weights(source, target)


def test_untrusted_full_checkpoint_gives_its_weights_and_withholds_the_message_hub(tmp_path):
    path = str(tmp_path / 'iter_10.pth')
    source = tiny_model(seed=0)
    save_full_training_checkpoint(path, source)

    target = tiny_model(seed=1)
    checkpoint = load_checkpoint(target, path)
    assert_same_weights(source, target)
    assert checkpoint['meta'] == {'epoch': 1, 'iter': 10}
    assert 'message_hub' not in checkpoint
    with pytest.raises(UnreadCheckpointEntryError) as error:
        checkpoint['message_hub']  # what Runner.resume asks for
    message = str(error.value)
    assert path in message and 'HistoryBuffer' in message and '--resume' in message

    with trusted_checkpoints(path):
        checkpoint = load_checkpoint(tiny_model(seed=1), path)
    assert isinstance(checkpoint['message_hub']['log_scalars']['train/loss'], HistoryBuffer)
    # Trust ends with the block.
    assert 'message_hub' not in load_checkpoint(tiny_model(seed=1), path)


def test_weights_reader_keeps_tensors_numpy_and_containers_and_replaces_other_objects(tmp_path):
    path = str(tmp_path / 'mixed.pth')
    weights = OrderedDict(w=torch.arange(6, dtype=torch.float16).view(2, 3), n=torch.tensor([1, 2]))
    torch.save(
        dict(
            state_dict=weights,
            meta=dict(
                ids=np.array([3, 4], dtype=np.int64),
                seed=np.int64(7),
                size=torch.Size([2, 3]),
                classes=('a', 'b'),
                tags={'x'},
                dtype=torch.float32),
            hub=dict(buffer=HistoryBuffer([1.0], [1]), nested=[{
                'deep': MarkerPayload(str(tmp_path / 'x'))
            }])), path)
    checkpoint = read_weights(path)
    assert list(checkpoint['state_dict']) == ['w', 'n'] and isinstance(checkpoint['state_dict'], OrderedDict)
    torch.testing.assert_close(checkpoint['state_dict']['w'], weights['w'])
    meta = checkpoint['meta']
    assert meta['ids'].tolist() == [3, 4] and meta['seed'] == 7 and meta['size'] == torch.Size([2, 3])
    assert meta['classes'] == ('a', 'b') and meta['tags'] == {'x'} and meta['dtype'] is torch.float32
    assert checkpoint.withheld == {
        'hub': ['mmengine.logging.history_buffer.HistoryBuffer', f'{os.name}.mkdir']
    }
    assert not (tmp_path / 'x').exists()


def test_trusting_a_directory_trusts_files_below_it_only(tmp_path):
    work_dir = tmp_path / 'work_dir'
    (work_dir / 'sub').mkdir(parents=True)
    inside = work_dir / 'sub' / 'iter_10.pth'
    outside = tmp_path / 'work_dir_other' / 'iter_10.pth'
    trust_checkpoint(str(work_dir))
    assert is_trusted_checkpoint(str(inside))
    assert not is_trusted_checkpoint(str(outside))

    save_full_training_checkpoint(str(inside), tiny_model(seed=0))
    assert 'state_dict' in load_checkpoint(tiny_model(seed=1), str(inside))


def test_link_inside_trusted_directory_to_outside_file_is_not_trusted(tmp_path):
    work_dir = tmp_path / 'work_dir'
    work_dir.mkdir()
    downloaded = tmp_path / 'downloaded.pth'
    save_full_training_checkpoint(str(downloaded), tiny_model(seed=0))
    link = work_dir / 'latest.pth'
    link.symlink_to(downloaded)
    trust_checkpoint(str(work_dir))
    assert 'message_hub' not in load_checkpoint(tiny_model(seed=1), str(link))


def test_malicious_pickle_does_not_run_when_untrusted(tmp_path):
    marker = tmp_path / 'payload_ran'
    path = str(tmp_path / 'malicious.pth')
    torch.save({'state_dict': {}, 'payload': MarkerPayload(str(marker))}, path)

    checkpoint = CheckpointLoader.load_checkpoint(path)
    assert not marker.exists()
    assert checkpoint['state_dict'] == {} and checkpoint.withheld == {'payload': [f'{os.name}.mkdir']}
    with pytest.raises(UnreadCheckpointEntryError, match='malicious.pth'):
        checkpoint['payload']

    # The same file does run its payload once trusted: the check above is meaningful.
    with trusted_checkpoints(path):
        CheckpointLoader.load_checkpoint(path)
    assert marker.is_dir()


def test_torch_force_no_weights_only_load_trusts_everything(tmp_path, monkeypatch):
    path = str(tmp_path / 'iter_10.pth')
    save_full_training_checkpoint(path, tiny_model(seed=0))
    monkeypatch.setenv('TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD', '1')
    assert 'message_hub' in CheckpointLoader.load_checkpoint(path)


def test_missing_file_raises_file_not_found(tmp_path):
    missing = str(tmp_path / 'missing.pth')
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        load_checkpoint(tiny_model(seed=0), missing)


def test_registration_is_idempotent():
    register_safe_checkpoint_loader()
    register_safe_checkpoint_loader()
    local_loaders = [loader for prefix, loader in CheckpointLoader._schemes.items() if prefix == '']
    assert local_loaders == [checkpoint_policy.load_from_local_with_trust_policy]


def test_a_relative_path_is_trusted_wherever_it_is_asked_from(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with trusted_checkpoints('relative.pth'):
        assert is_trusted_checkpoint(str(tmp_path / 'relative.pth'))
        monkeypatch.chdir(tmp_path.parent)
        assert is_trusted_checkpoint(str(tmp_path / 'relative.pth'))
        assert not is_trusted_checkpoint('relative.pth')


@pytest.mark.parametrize('content', ['truncated', 'empty', 'text'])
@pytest.mark.parametrize('trusted', [False, True])
def test_an_unreadable_checkpoint_names_the_file(tmp_path, content, trusted):
    path = tmp_path / 'iter_6.pth'
    torch.save({'state_dict': tiny_model(seed=0).state_dict()}, str(path))
    data = path.read_bytes()
    path.write_bytes({
        'truncated': data[:len(data) // 2],
        'empty': b'',
        'text': b'not a checkpoint\n' * 20
    }[content])
    register_safe_checkpoint_loader()
    if trusted:
        trust_checkpoint(str(path))
    with pytest.raises(
            CorruptCheckpointError, match=r'iter_6\.pth \(\d+ bytes\) cannot be read: truncated or not '):
        load_checkpoint(tiny_model(seed=0), str(path))


def test_importing_the_plugin_installs_the_loader_with_a_weights_only_torch():
    """So that mmseg's own tools/test.py (the config imports the plugin) reads training checkpoints."""
    code = ('from mmengine.runner.checkpoint import CheckpointLoader as C\n'
            'before = C._get_checkpoint_loader("a.pth")\n'
            'import mmseg_mman.utils.checkpoint as policy\n'
            'import mmseg_mman\n'
            'print(before is policy.load_from_local_with_trust_policy, '
            'C._get_checkpoint_loader("a.pth") is policy.load_from_local_with_trust_policy)')
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ['False', 'True']
