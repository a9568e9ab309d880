"""Human output: `file:line:col: SOV101 [high] message` plus who and the fix hint (full view),
one line per finding (concise), findings under their file or operator (grouped), or counts
(--statistics). Colour only on a TTY."""

from __future__ import annotations

from collections import Counter

from sovlint.model import Finding, Severity
from sovlint.reporters import Report
from sovlint.reporters.configurations import configuration_lines
from sovlint.reporters.policy import policy_lines
from sovlint.reporters.safe import escape_controls, no_command_start

_COLORS = {
    Severity.HIGH: "\033[31m",
    Severity.MEDIUM: "\033[33m",
    Severity.LOW: "\033[36m",
    Severity.INFO: "\033[37m",
}
_RESET = "\033[0m"
_DIM = "\033[2m"
_SHOWN_CALLERS = 2


def _safe(text: str) -> str:
    """One finding, one line: a newline or terminal escape in a file name or value is escaped."""
    return escape_controls(text)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def via(finding: Finding) -> str:
    """'via examples/complete, examples/simple +9': the roots a shared module was reached from."""
    if not finding.callers:
        return ""
    shown = ", ".join(finding.callers[:_SHOWN_CALLERS])
    more = len(finding.callers) - _SHOWN_CALLERS
    return f"via {shown}" + (f" +{more}" if more > 0 else "")


def who(f: Finding) -> str:
    return ", ".join(
        x
        for x in (
            f.operator,
            f"jurisdiction {f.jurisdiction}" if f.jurisdiction else None,
            f"country {f.country}" if f.country else None,
        )
        if x
    )


def operator_label(f: Finding) -> str:
    if not f.operator:
        return "(no operator)"
    return f"{f.operator} ({f.jurisdiction})" if f.jurisdiction else f.operator


def accepted(f: Finding) -> str:
    """'[suppressed by comment until 2027-01-31: reason]' for a listed suppressed finding."""
    until = f" until {f.suppression_until}" if f.suppression_until else ""
    return f" [suppressed by {f.suppressed_by}{until}: {f.suppression_reason or 'no reason given'}]"


def _severity(f: Finding, color: bool) -> str:
    sev = f"[{f.severity.label}]"
    return f"{_COLORS[f.severity]}{sev}{_RESET}" if color else sev


def one_line(f: Finding, color: bool, with_file: bool = True, with_via: bool = True) -> str:
    where = f"{_safe(f.file)}:{f.line}:1: " if with_file else f"{f.line}:1: "
    tail = f" ({via(f)})" if f.callers and with_via else ""
    mark = accepted(f) if f.suppressed else ""
    return f"{where}{f.rule_id} {_severity(f, color)} {_safe(f.address)}: {_safe(f.message)}{tail}{_safe(mark)}"


def _full(findings: list[Finding], report: Report, color: bool) -> list[str]:
    lines: list[str] = []
    limit = report.text.per_family
    shown: Counter[tuple[str, str]] = Counter()
    for f in findings:
        family = (f.rule_id, f.operator or "")
        shown[family] += 1
        if limit and shown[family] > limit:
            continue
        lines.append(one_line(f, color, with_via=False))
        if who(f):
            lines.append(f"    who: {_safe(who(f))}")
        if f.callers:
            lines.append(f"    {_safe(via(f))}")
        fix = f"    fix: {f.fix}"
        lines.append(f"{_DIM}{fix}{_RESET}" if color else fix)
    for (rule_id, operator), count in sorted(shown.items()):
        if limit and count > limit:
            by = f" operated by {operator}" if operator else ""
            lines.append(
                f"... {plural(count - limit, f'more {rule_id} finding')}{by} "
                "(--output-format concise lists all, --statistics counts them)"
            )
    return lines


def _grouped(findings: list[Finding], report: Report, color: bool) -> list[str]:
    lines: list[str] = []
    by_file = report.text.group_by == "file"
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        key = f.file if by_file else operator_label(f)
        groups.setdefault(key, []).append(f)
    for key in sorted(groups):
        items = groups[key]
        if lines:
            lines.append("")
        lines.append(f"{_safe(key)}: {plural(len(items), 'finding')}")
        lines.extend(f"  {one_line(f, color, with_file=not by_file)}" for f in items)
    return lines


def _statistics(findings: list[Finding]) -> list[str]:
    from sovlint.rules import REGISTRY

    rules = Counter(f.rule_id for f in findings)
    operators = Counter(
        f"{f.operator} ({f.jurisdiction})" if f.operator else "(no operator)" for f in findings
    )
    lines = ["findings by rule:"]
    for rule_id, count in sorted(rules.items(), key=lambda kv: (-kv[1], kv[0])):
        rule = REGISTRY.get(rule_id)
        name = rule.meta.name if rule else ""
        severity = f"[{rule.meta.severity.label}]" if rule else ""
        lines.append(f"{count:>7}  {rule_id}  {name:<36} {severity}")
    lines.append("findings by operator:")
    for name, count in sorted(operators.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"{count:>7}  {_safe(name)}")
    return lines


def summary(report: Report) -> str:
    findings = report.result.findings
    active = [f for f in findings if not f.suppressed]
    suppressed = len(findings) - len(active)
    counts = Counter(f.severity for f in active)
    parts = [f"{counts[s]} {s.label}" for s in sorted(counts, reverse=True)]
    return (
        f"sovlint {report.tool_version} ({_safe(report.profile.name)}): "
        f"{plural(len(report.result.files), 'file')}, {plural(len(active), 'finding')}"
        + (f" ({', '.join(parts)})" if parts else "")
        + (f", {suppressed} suppressed" if suppressed else "")
    )


def render(report: Report, color: bool = False) -> str:
    options = report.text
    findings = [f for f in report.result.findings if options.show_suppressed or not f.suppressed]
    if options.statistics:
        lines = _statistics(findings) if findings else []
    elif options.view == "concise":
        lines = [one_line(f, color) for f in findings]
    elif options.view == "grouped":
        lines = _grouped(findings, report, color)
    else:
        lines = _full(findings, report, color)
    if options.quiet:
        return _no_commands(lines) if lines else ""
    if lines:
        lines.append("")
    lines.append(summary(report))
    lines.extend(_safe(line) for line in configuration_lines(report))
    lines.extend(_safe(line) for line in policy_lines(report))
    return _no_commands(lines)


def _no_commands(lines: list[str]) -> str:
    """A line starting with a scanned file name must not read as a CI workflow command."""
    text = "\n".join(lines)
    return "\n".join(no_command_start(line) for line in text.split("\n")) + "\n"
