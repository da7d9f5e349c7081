from .in_channels import require_in_channels
from .sampling import nearest_resize
from .wrappers import frozen, unwrap

__all__ = ['frozen', 'nearest_resize', 'require_in_channels', 'unwrap']
