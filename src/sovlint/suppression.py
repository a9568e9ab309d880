"""Inline suppressions: `# sovlint:ignore SOV101,SOV102 until=2027-01-31 -- reason` (also `//`).

A comment on its own line applies to the next code line; a comment at the end of
a line applies to that line. A finding is covered when its own line or the first
line of its enclosing block is the target. Suppressed findings stay in reports.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

_MARK = re.compile(r"(?:#|//)\s*sovlint:ignore\b(?P<body>.*)$")
_BODY = re.compile(
    r"^\s*(?P<ids>[A-Za-z0-9_,\s]*?)\s*(?:until=(?P<until>\S+))?\s*(?:--\s*(?P<reason>.*))?$"
)


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


def parse_suppressions(file: str, text: str) -> list[Suppression]:
    lines = text.splitlines()
    out: list[Suppression] = []
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
            target = 0
            for j in range(index + 1, len(lines)):
                stripped = lines[j].strip()
                if stripped and not stripped.startswith(("#", "//", "/*", "*")):
                    target = j + 1
                    break
        body = _BODY.match(m.group("body"))
        problem = None
        ids: tuple[str, ...] = ()
        until = None
        reason = ""
        if body is None:
            problem = "malformed sovlint:ignore comment"
        else:
            ids = tuple(
                i.strip().upper() for i in re.split(r"[,\s]+", body.group("ids") or "") if i.strip()
            )
            reason = (body.group("reason") or "").strip()
            if not ids:
                problem = "sovlint:ignore names no rule id"
            if body.group("until"):
                try:
                    until = _dt.date.fromisoformat(body.group("until"))
                except ValueError:
                    problem = f"until={body.group('until')} is not a date (YYYY-MM-DD)"
        out.append(Suppression(file, lineno, target, ids, until, reason, problem))
    return out
