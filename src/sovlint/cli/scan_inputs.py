"""`sovlint scan` option values checked and converted: one-line errors for bad ones."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sovlint.cli.app import UsageError

if TYPE_CHECKING:
    from sovlint.reporters.text_options import TextOptions


def text_options(options: TextOptions) -> TextOptions:
    from sovlint.reporters.text_options import GROUP_BY, TEXT_VIEWS

    if options.view not in TEXT_VIEWS:
        raise UsageError(
            f"unknown --output-format {options.view!r} (choose from: {', '.join(TEXT_VIEWS)})"
        )
    if options.group_by not in GROUP_BY:
        raise UsageError(f"unknown --group-by {options.group_by!r} (choose from: file, operator)")
    return options


def previous_report(path: Path | None) -> dict[str, object] | None:
    """--compare OLD.json: an earlier JSON report (one-line error when it is not one)."""
    if path is None:
        return None
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise UsageError(f"{path}: --compare needs a sovlint JSON report ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise UsageError(f"{path}: --compare needs a sovlint JSON report (-f json)")
    return data


def shard_option(text: str | None) -> tuple[int, int] | None:
    from sovlint.shard import parse_shard

    if text is None:
        return None
    try:
        return parse_shard(text)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def read_stdin(max_size: int) -> str:
    """`sovlint scan -`: one manifest stream from standard input (bounded, strictly decoded)."""
    from sovlint.readfile import ReadError, decode

    data = sys.stdin.buffer.read(max_size + 1)
    if len(data) > max_size:
        raise UsageError(f"standard input is larger than --max-file-size ({max_size} bytes)")
    try:
        return decode(data)
    except ReadError as exc:
        raise UsageError(f"standard input, line {exc.line}: {exc}") from None


def render_modes(modes: list[str]) -> tuple[str, ...]:
    """--render values, each checked against PATH now: a missing tool is a usage error."""
    from sovlint.frontends.kubernetes.render import RenderToolMissing, tool_command

    out = tuple(dict.fromkeys(m.strip().lower() for m in modes))
    try:
        for mode in out:
            tool_command(mode)
    except RenderToolMissing as exc:
        raise UsageError(str(exc)) from None
    return out


def parse_vars(items: list[str]) -> tuple[tuple[str, str], ...]:
    pairs = []
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--var {item!r}: expected NAME=VALUE")
        pairs.append((name.strip(), value))
    return tuple(pairs)
