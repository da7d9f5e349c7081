# What the options of tools/train.py and tools/test.py change in a config, importable so that
# each is tested without running a tool.
from .amp import enable_amp
from .runner_cfg import apply_resume, save_predictions_to, trust_own_checkpoints, use_tta

__all__ = ['apply_resume', 'enable_amp', 'save_predictions_to', 'trust_own_checkpoints', 'use_tta']
