"""Run ``tools/train.py ARGS...`` and SIGKILL the process half-way through writing the checkpoint file
whose name ends with ``$KILL_WHILE_WRITING`` (``iter_4.pth.tmp`` for SafeCheckpointHook), as a crash
(out of memory, a lost node) would: the first half of the bytes reach the disk, then the process dies."""
import os
import runpy
import signal
import sys

from mmengine.fileio.backends import LocalBackend

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
original_put = LocalBackend.put


def put_then_die(self, obj, filepath):
    if str(filepath).endswith(os.environ['KILL_WHILE_WRITING']):
        with open(filepath, 'wb') as f:
            f.write(obj[:len(obj) // 2])
            f.flush()
        os.kill(os.getpid(), signal.SIGKILL)
    return original_put(self, obj, filepath)


if __name__ == '__main__':
    LocalBackend.put = put_then_die
    sys.argv = [os.path.join(REPO_ROOT, 'tools', 'train.py'), *sys.argv[1:]]
    runpy.run_path(sys.argv[0], run_name='__main__')
