from .in_channels import require_in_channels
from .sampling import nearest_resize
from .weights_fit import (CheckpointMismatchError, check_class_count, check_weights_fit, classifier_mismatch,
                          strip_wrapper_prefix)
from .wrappers import frozen, unwrap

__all__ = [
    'CheckpointMismatchError', 'check_class_count', 'check_weights_fit', 'classifier_mismatch', 'frozen',
    'nearest_resize', 'require_in_channels', 'strip_wrapper_prefix', 'unwrap'
]
