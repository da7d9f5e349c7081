# What the options of tools/train.py and tools/test.py change in a config, importable so that
# each is tested without running a tool.
from .amp import enable_amp
from .config_check import ConfigKeyError, check_component_arguments, checked_cfg_options
from .runner_cfg import (NoCompleteCheckpointError, apply_resume, save_predictions_to, trust_own_checkpoints,
                         use_tta)
from .tool_errors import INPUT_ERRORS, main_reporting_errors

__all__ = [
    'apply_resume', 'check_component_arguments', 'checked_cfg_options', 'ConfigKeyError', 'enable_amp',
    'save_predictions_to', 'trust_own_checkpoints', 'use_tta', 'INPUT_ERRORS', 'main_reporting_errors',
    'NoCompleteCheckpointError'
]
