"""Scanned content (file names, values, addresses) made safe to print in a CI log or a terminal.

A file named `::error title=forged::PWNED.tf` or a value holding `\\x1b]8;;...` must not
become a GitHub Actions workflow command, an ANSI escape or a second line. Every text-like
format (text, github, gitlab) passes scanned content through these functions; structured
formats (JSON, SARIF, JUnit) escape by their own rules.
"""

from __future__ import annotations

import re

# C0 and C1 controls and DEL; bidirectional overrides and line/paragraph separators
# ("trojan source": text that displays differently from what it is)
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_WORKFLOW_V1 = "##["  # the runner's older command syntax, recognised anywhere in a line


def escape_controls(text: str) -> str:
    """Control and bidi characters as visible `\\xNN` / `\\uNNNN` escapes, `##[` defused."""
    out = _UNSAFE.sub(_escape_one, text)
    return out.replace(_WORKFLOW_V1, "##\\x5b") if _WORKFLOW_V1 in out else out


def _escape_one(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def no_command_start(line: str) -> str:
    """A line that would start (after blanks) with `::` gets its first colon escaped."""
    stripped = line.lstrip()
    if not stripped.startswith("::"):
        return line
    return line[: len(line) - len(stripped)] + "\\x3a" + stripped[1:]


def json_text(document: str) -> str:
    """JSON text with C1 controls, DEL and bidi characters as `\\u` escapes (same data)."""
    return re.sub(
        "[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]",
        lambda m: f"\\u{ord(m.group()):04x}",
        document,
    )
