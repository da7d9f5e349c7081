"""Writing files so that a reader never sees one half-written (one definition for the whole package)."""
import os
import os.path as osp
import tempfile

from mmengine.utils import mkdir_or_exist


def write_atomically(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` through a hidden ``.<name>.partial`` file beside it and an atomic
    :func:`os.replace`: ``path`` never exists half-written, so an interrupted run leaves no output
    that a resumed run would take as done. Creates the folder if missing."""
    folder = osp.dirname(osp.abspath(path))
    mkdir_or_exist(folder)
    partial = osp.join(folder, f'.{osp.basename(path)}.partial')
    try:
        with open(partial, 'wb') as f:
            f.write(data)
        os.replace(partial, path)
    finally:
        if osp.exists(partial):
            os.remove(partial)


def holds_bytes(path: str, data: bytes) -> bool:
    """Whether the file ``path`` exists and holds exactly ``data``."""
    if not osp.isfile(path) or osp.getsize(path) != len(data):
        return False
    with open(path, 'rb') as f:
        return f.read() == data


def write_if_changed(path: str, data: bytes) -> bool:
    """:func:`write_atomically` unless ``path`` already holds ``data``; whether it wrote."""
    if holds_bytes(path, data):
        return False
    write_atomically(path, data)
    return True


def check_writable_dir(path: str) -> None:
    """Create the folder ``path`` if missing and check that files can be written into it; a
    ``ValueError`` naming it otherwise (a file of that name, no permission), before any long work."""
    try:
        mkdir_or_exist(path)
        with tempfile.NamedTemporaryFile(dir=path):
            pass
    except OSError as error:
        raise ValueError(f'cannot write into {path!r}: {error.strerror or error}') from error
