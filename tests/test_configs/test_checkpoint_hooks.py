"""Every config of the tree writes its checkpoints with SafeCheckpointHook (crash-safe saves, issue 12)."""
from pathlib import Path

import pytest
from mmengine import Config

CONFIG_ROOT = Path(__file__).parents[2] / 'configs'
TRAINING_CONFIGS = sorted(
    str(path.relative_to(CONFIG_ROOT)) for path in CONFIG_ROOT.rglob('*.py') if '_base_' not in path.parts)


def test_the_tree_is_found():
    assert len(TRAINING_CONFIGS) > 50


@pytest.mark.parametrize('config', TRAINING_CONFIGS)
def test_checkpoints_are_written_safely(config):
    cfg = Config.fromfile(str(CONFIG_ROOT / config))
    assert cfg.default_hooks.checkpoint.type == 'SafeCheckpointHook'
