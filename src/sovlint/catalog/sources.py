"""What a catalog `source` must be: public URLs a user can open, optionally with a section.

A source reads `https://docs.example.com/regions (section "Europe"); https://github.com/o/r/blob/main/f`:
one or more `https://` URLs separated by `; `, each optionally followed by a note in
parentheses. A path into a private or unpublished document (a research note, a local
file) is refused: an auditor could not check it.
"""

from __future__ import annotations

import re

_URL = re.compile(r"https://[a-z0-9.-]+\.[a-z]{2,}(?::\d+)?(?:/[^\s;()]*)?", re.IGNORECASE)
_NOT_PUBLIC = re.compile(r"shared/|research/|research\.md|file://|\blocalhost\b", re.IGNORECASE)


def urls(source: str) -> list[str]:
    """The public URLs a source names, in order."""
    return _URL.findall(source)


def _top_level_parts(source: str) -> list[str]:
    """Split on `;` outside parentheses (a note may contain `;`)."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(source):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(depth - 1, 0)
        elif ch == ";" and depth == 0:
            parts.append(source[start:i])
            start = i + 1
    parts.append(source[start:])
    return parts


def source_problem(source: str) -> str | None:
    """Why `source` is not a checkable public source, or None when it is."""
    if _NOT_PUBLIC.search(source):
        return f"source {source!r} cites a document that is not public; cite a public URL"
    parts = [p.strip() for p in _top_level_parts(source) if p.strip()]
    for part in parts:
        m = _URL.match(part)
        if m is None:
            return (
                f"source part {part!r} is not a public https:// URL "
                "(write `https://... (section)`, several separated by `; `)"
            )
        rest = part[m.end() :].strip()
        if rest and not (rest.startswith("(") and rest.endswith(")")):
            return f"after the URL in {part!r}, only a note in parentheses may follow"
    if not parts:
        return "source is empty"
    return None
