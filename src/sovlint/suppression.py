"""Inline suppressions: `# sovlint:ignore SOV101,SOV102 until=2027-01-31 -- reason` (also `//`).

A comment on its own line applies to the next code line; a comment at the end of
a line applies to that line. A finding is covered when its own line or the first
line of its enclosing block is the target. Suppressed findings stay in reports.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

_MARK = re.compile(r"(?:#|//)[ \t]*sovlint:ignore\b")
_ID_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_,")


@dataclass(frozen=True)
class Suppression:
    file: str
    comment_line: int
    target_line: int
    rule_ids: tuple[str, ...]
    until: _dt.date | None
    reason: str
    problem: str | None = None  # malformed: reported as SOV003, suppresses nothing

    def expired(self, today: _dt.date) -> bool:
        return self.until is not None and today > self.until


def _in_string(line: str, pos: int) -> bool:
    """Is `pos` inside a double-quoted string on this line (good enough for comments)?"""
    quoted = False
    escaped = False
    for ch in line[:pos]:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == '"':
            quoted = not quoted
    return quoted


def _next_code_lines(lines: list[str]) -> list[int]:
    """For each line index, the 1-based number of the next code line after it (0: none).

    One backward pass, so a file of consecutive comment lines costs linear time.
    """
    out = [0] * len(lines)
    following = 0
    for j in range(len(lines) - 1, -1, -1):
        out[j] = following
        stripped = lines[j].strip()
        if stripped and not stripped.startswith(("#", "//", "/*", "*")):
            following = j + 1
    return out


def _parse_body(body: str) -> tuple[tuple[str, ...], str | None, str, str | None]:
    """`SOV101,SOV102 until=2027-01-31 -- reason` -> (ids, until text, reason, problem)."""
    head, dashes, reason = body.partition("--")
    words = head.split()
    until: str | None = None
    if words and words[-1].startswith("until="):
        until = words.pop()[len("until=") :]
    if any(not set(word) <= _ID_CHARS for word in words):
        return (), None, "", "malformed sovlint:ignore comment"
    ids = tuple(i.upper() for word in words for i in word.split(",") if i)
    return ids, until, reason.strip() if dashes else "", None


def parse_suppressions(file: str, text: str) -> list[Suppression]:
    lines = text.splitlines()
    out: list[Suppression] = []
    next_code: list[int] | None = None
    for index, line in enumerate(lines):
        if "sovlint:ignore" not in line:
            continue
        m = _MARK.search(line)
        if not m or _in_string(line, m.start()):
            continue
        lineno = index + 1
        own_line = not line[: m.start()].strip()
        target = lineno
        if own_line:
            if next_code is None:
                next_code = _next_code_lines(lines)
            target = next_code[index]
        ids, until_text, reason, problem = _parse_body(line[m.end() :])
        until = None
        if problem is None and not ids:
            problem = "sovlint:ignore names no rule id"
        if until_text is not None:
            try:
                until = _dt.date.fromisoformat(until_text)
            except ValueError:
                problem = f"until={until_text} is not a date (YYYY-MM-DD)"
        out.append(Suppression(file, lineno, target, ids, until, reason, problem))
    return out
