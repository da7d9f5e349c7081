# Small shared utilities only. Kept light: ``mmseg_mman/__init__.py`` imports this package (for the
# mmcv.ops fallback) before ``mmseg.models`` is imported, so no module here imports ``mmseg.models``
# at import time.
from . import mmcv_ops_fallback  # noqa: F401  (bound here too when the start-up hook loaded it first)
from .checkpoint import (CorruptCheckpointError, is_complete_checkpoint, is_trusted_checkpoint,
                         newest_complete_checkpoint, register_safe_checkpoint_loader, trust_checkpoint,
                         trusted_checkpoints)
from .dist import setup_cpu_distributed
from .fileio import write_atomically, write_if_changed
from .mmcv_ops_fallback import install_mmcv_ops_fallback
from .weights_reader import UnreadCheckpointEntryError, read_weights

__all__ = [
    'install_mmcv_ops_fallback', 'register_safe_checkpoint_loader', 'trust_checkpoint', 'trusted_checkpoints',
    'is_trusted_checkpoint', 'UnreadCheckpointEntryError', 'CorruptCheckpointError', 'setup_cpu_distributed',
    'write_atomically', 'write_if_changed', 'read_weights', 'is_complete_checkpoint',
    'newest_complete_checkpoint'
]
