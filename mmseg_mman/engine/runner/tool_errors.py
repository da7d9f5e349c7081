"""How tools/train.py and tools/test.py report a mistake in their input: one line naming the file
or key and exit status 2, instead of a traceback from deep inside mmengine."""
import sys
from typing import Callable

from ...models.utils import CheckpointMismatchError
from ...utils.checkpoint import CorruptCheckpointError
from ...utils.weights_reader import UnreadCheckpointEntryError
from .config_check import ConfigKeyError
from .runner_cfg import NoCompleteCheckpointError

#: Errors about what the user gave (config keys, checkpoint files), not bugs.
INPUT_ERRORS = (ConfigKeyError, CheckpointMismatchError, CorruptCheckpointError, UnreadCheckpointEntryError,
                NoCompleteCheckpointError)


def main_reporting_errors(main: Callable[[], None], prog: str) -> int:
    """Run ``main``; an :data:`INPUT_ERRORS` error is printed as ``PROG: error: ...`` (exit 2)."""
    try:
        main()
    except INPUT_ERRORS as error:
        print(f'{prog}: error: {error}', file=sys.stderr)
        return 2
    return 0
