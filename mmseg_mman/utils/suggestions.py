"""'Did you mean' hints for misspelt names (config keys, hook arguments)."""
import difflib
from typing import Iterable


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """``" (did you mean 'x'?)"`` for the closest of ``candidates`` to ``name``, or ``''``."""
    close = difflib.get_close_matches(name, sorted(map(str, candidates)), n=3, cutoff=0.6)
    return f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ''
