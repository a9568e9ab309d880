"""Where reports go: --format/--output pairs, atomic files, standard output as UTF-8 bytes."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sovlint.cli.app import UsageError
from sovlint.formats import BY_NAME, NAMES

if TYPE_CHECKING:
    from sovlint.reporters import Report


class OutputClosed(Exception):
    """The reader of standard output went away (`sovlint scan | head`)."""


def format_outputs(
    formats: list[str] | None, outs: list[Path] | None
) -> tuple[list[str], list[Path]]:
    """Validated --format/--output pairs: outputs pair with the last formats."""
    fmts = formats or ["text"]
    for fmt in fmts:
        if fmt not in NAMES:
            raise UsageError(f"unknown format {fmt!r} (choose from: {', '.join(NAMES)})")
    files = list(outs or [])
    if len(files) > len(fmts):
        raise UsageError("more --output than --format options")
    if len(fmts) - len(files) > 1:
        raise UsageError(
            "only one --format can go to standard output; give each other one an --output"
        )
    return fmts, files


def emit(report: Report, fmts: list[str], outs: list[Path], color: bool | None) -> None:
    """Render every requested format: `-f text -f sarif -o x.sarif` prints text, writes SARIF."""
    from sovlint.atomic import write_atomic
    from sovlint.reporters import renderer

    use_color = sys.stdout.isatty() and "NO_COLOR" not in os.environ if color is None else color
    to_stdout = len(fmts) - len(outs)
    for index, fmt in enumerate(fmts):
        if index < to_stdout:
            write_stdout(renderer(fmt)(report, use_color and BY_NAME[fmt].color))
            continue
        out = outs[index - to_stdout]
        try:
            write_atomic(out, renderer(fmt)(report, False))
        except OSError as exc:
            raise UsageError(f"{out}: cannot write report: {exc.strerror or exc}") from None


def write_stdout(text: str) -> None:
    """A report on standard output as UTF-8 bytes whatever the locale (byte-identical under
    LC_ALL=C), lone surrogates (undecodable file names) written as backslash escapes."""
    data = text.encode("utf-8", "backslashreplace")
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(data.decode("utf-8"))
        return
    try:
        sys.stdout.flush()
        buffer.write(data)
        buffer.flush()
    except BrokenPipeError:
        raise OutputClosed from None  # not an OSError: typer would exit 1 on EPIPE itself


def one_line(message: object) -> str:
    """An error message on one line: control characters (a newline in a file name) escaped."""
    return "".join(
        f"\\x{ord(c):02x}" if ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 else c for c in str(message)
    )
