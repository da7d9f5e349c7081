"""mmseg-mman: adversarial human parsing (MMAN, Luo et al. ECCV 2018) for MMSegmentation 1.x.

Importing this package registers every component into mmseg's registries. The mmcv-ops fallback is
installed first, so that ``mmseg.models`` imports with mmcv-lite (no compiled ops), and with
torch >= 2.6 mmengine's loader for local checkpoints becomes the project's (weights-only, and reading
the weights of full training checkpoints without executing anything: ``mmseg_mman/utils/checkpoint.py``).
"""
import importlib

from .utils.checkpoint import register_safe_checkpoint_loader_if_torch_defaults_to_weights_only
from .utils.mmcv_ops_fallback import install_mmcv_ops_fallback

install_mmcv_ops_fallback()
register_safe_checkpoint_loader_if_torch_defaults_to_weights_only()

from .datasets import *  # noqa: E402,F401,F403
from .engine import *  # noqa: E402,F401,F403
from .evaluation import *  # noqa: E402,F401,F403
from .models import *  # noqa: E402,F401,F403
from .version import __version__  # noqa: E402,F401
from .visualization import *  # noqa: E402,F401,F403

# `from .models import *` also binds `utils` to `mmseg_mman.models.utils`; the package's own comes last.
utils = importlib.import_module(f'{__name__}.utils')
