"""Atomic file writes: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def write_atomic(path: Path, text: str) -> None:
    """Write `text` as UTF-8 through a temporary file renamed over `path`.

    - A symbolic link stays a link: the file it points to is replaced.
    - A target that exists but is not a regular file (/dev/stdout, /dev/full, a FIFO) is
      written in place: renaming over it would replace a device node or a pipe with a
      plain file (as root, even in /dev).
    - A replaced file keeps its permission bits; a new one gets the umask's.
    - Lone surrogates (undecodable file names) are written as backslash escapes.
    """
    data = text.encode("utf-8", "backslashreplace")
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
    target = Path(os.path.realpath(path)) if os.path.islink(path) else path
    if st is not None:
        mode = stat.S_IMODE(st.st_mode)
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    directory = target.parent if str(target.parent) else Path()
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
