from .checkpoint_fit_hook import CheckpointFitHook
from .safe_checkpoint_hook import SafeCheckpointHook

__all__ = ['CheckpointFitHook', 'SafeCheckpointHook']
