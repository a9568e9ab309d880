"""Read a scanned file safely: regular files only, bounded size, strict decoding. Never blocks on a FIFO."""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024


class ReadError(Exception):
    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


def read_text(path: Path, max_size: int = DEFAULT_MAX_FILE_SIZE) -> str:
    """The file's text (UTF-8, or UTF-16/UTF-8 with BOM), with CRLF/CR normalised to LF."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise ReadError(f"cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        raise ReadError("not a regular file")
    if st.st_size > max_size:
        raise ReadError(
            f"file too large ({st.st_size} bytes > {max_size}); raise --max-file-size to scan it"
        )
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            data = fh.read(max_size + 1)
    except OSError as exc:
        raise ReadError(f"cannot read: {exc.strerror or exc}") from None
    if len(data) > max_size:
        raise ReadError(f"file too large (> {max_size} bytes)")
    return decode(data)


def decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        encoding = "utf-8"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ReadError(f"not valid {encoding.upper()} text (byte {exc.start})", line) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ReadError("binary content (NUL byte)", line)
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")
