from .sampling import nearest_resize
from .wrappers import frozen, unwrap

__all__ = ['frozen', 'nearest_resize', 'unwrap']
