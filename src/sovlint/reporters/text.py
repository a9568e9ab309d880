"""Human output: `file:line:col: SOV101 [high] message` plus the fix hint; colour only on a TTY."""

from __future__ import annotations

import re
from collections import Counter

from sovlint.model import Severity
from sovlint.reporters import Report

_COLORS = {
    Severity.HIGH: "\033[31m",
    Severity.MEDIUM: "\033[33m",
    Severity.LOW: "\033[36m",
    Severity.INFO: "\033[37m",
}
_RESET = "\033[0m"
_DIM = "\033[2m"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _safe(text: str) -> str:
    """One finding, one line: a newline or terminal escape in a file name or value is escaped."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def render(report: Report, color: bool = False) -> str:
    lines: list[str] = []
    for f in report.result.findings:
        if f.suppressed:
            continue
        sev = f"[{f.severity.label}]"
        if color:
            sev = f"{_COLORS[f.severity]}{sev}{_RESET}"
        who = ", ".join(
            x
            for x in (
                f.operator,
                f"jurisdiction {f.jurisdiction}" if f.jurisdiction else None,
                f"country {f.country}" if f.country else None,
            )
            if x
        )
        lines.append(
            f"{_safe(f.file)}:{f.line}:1: {f.rule_id} {sev} {_safe(f.address)}: {_safe(f.message)}"
        )
        if who:
            lines.append(f"    who: {_safe(who)}")
        fix = f"    fix: {f.fix}"
        lines.append(f"{_DIM}{fix}{_RESET}" if color else fix)
    active = [f for f in report.result.findings if not f.suppressed]
    suppressed = len(report.result.findings) - len(active)
    counts = Counter(f.severity for f in active)
    parts = [f"{counts[s]} {s.label}" for s in sorted(counts, reverse=True)]
    summary = (
        f"sovlint {report.tool_version} ({report.profile.name}): {len(report.result.files)} files, "
        f"{len(active)} findings"
        + (f" ({', '.join(parts)})" if parts else "")
        + (f", {suppressed} suppressed" if suppressed else "")
    )
    if lines:
        lines.append("")
    lines.append(summary)
    return "\n".join(lines) + "\n"
