"""mmseg-mman: adversarial human parsing (MMAN, Luo et al. ECCV 2018) for MMSegmentation 1.x.

Importing this package registers every component into mmseg's registries. The mmcv-ops fallback is
installed first, so that ``mmseg.models`` imports with mmcv-lite (no compiled ops).
"""
from .utils.mmcv_ops_fallback import install_mmcv_ops_fallback

install_mmcv_ops_fallback()

from .datasets import *  # noqa: E402,F401,F403
from .engine import *  # noqa: E402,F401,F403
from .evaluation import *  # noqa: E402,F401,F403
from .models import *  # noqa: E402,F401,F403
from .version import __version__  # noqa: E402,F401
