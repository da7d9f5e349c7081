# Kept light on purpose: ``mmseg_mman/__init__.py`` imports this package before
# ``mmseg.models`` may be imported, so nothing here may import ``mmseg.models``.
from .amp import enable_amp
from .checkpoint import (UntrustedCheckpointError, is_trusted_checkpoint,
                         register_safe_checkpoint_loader, trust_checkpoint,
                         trusted_checkpoints)
from .dist import setup_cpu_distributed
from .mmcv_ops_fallback import install_mmcv_ops_fallback

__all__ = [
    'enable_amp', 'install_mmcv_ops_fallback', 'register_safe_checkpoint_loader',
    'trust_checkpoint', 'trusted_checkpoints', 'is_trusted_checkpoint',
    'UntrustedCheckpointError', 'setup_cpu_distributed'
]
