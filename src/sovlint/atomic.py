"""Atomic file writes: a reader sees the old file or the new one, never half of one.

Only built-in modules: a replayed run (sovlint.replay) writes its report files through this
module, and `tempfile` alone (random, shutil, weakref ...) cost a third of such a run.
"""

from __future__ import annotations

import os
import stat

# The temporary file's flags, as tempfile.mkstemp opens it.
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
_CREATE |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def write_atomic(path: str | os.PathLike[str], text: str | bytes) -> None:
    """Write `text` as UTF-8 (or bytes as they are: a replayed report) through a temporary
    file renamed over `path`.

    - A symbolic link stays a link: the file it points to is replaced.
    - A target that exists but is not a regular file (/dev/stdout, /dev/full, a FIFO) is
      written in place: renaming over it would replace a device node or a pipe with a
      plain file (as root, even in /dev).
    - A replaced file keeps its permission bits; a new one gets the umask's.
    - Lone surrogates (undecodable file names) are written as backslash escapes.
    """
    data = text if isinstance(text, bytes) else text.encode("utf-8", "backslashreplace")
    try:
        st: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(21, "Is a directory", str(path))
        with open(path, "wb") as fh:
            fh.write(data)
        return
    target = os.path.realpath(path) if os.path.islink(path) else os.fspath(path)
    if st is not None:
        mode = stat.S_IMODE(st.st_mode)
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    directory, name = os.path.split(target)
    fd, tmp = _temporary(directory, name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:  # noqa: SIM105 (contextlib imports functools: see the docstring)
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _temporary(directory: str, name: str) -> tuple[int, str]:
    """A new file `.NAME.XXXXXXXXXXXX.tmp` beside the target, opened for writing (mode 0600)."""
    for _attempt in range(100):
        tmp = os.path.join(directory, f".{name}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(tmp, _CREATE, 0o600), tmp
        except FileExistsError:
            continue
    raise FileExistsError(17, "no unused temporary file name", os.path.join(directory, name))
