"""GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` annotation per finding.

    ::error file=platform/main.tf,line=11,endLine=13,title=SOV100 provider-not-sovereign::provider.aws: ...

Paths are relative to the repository root (what GitHub maps onto the diff).
Data is escaped as the runner expects (`%`, CR, LF), and property values also
`:` and `,`, so a message can neither break the annotation nor start a new
workflow command. Suppressed findings are not annotated.
"""

from __future__ import annotations

from sovlint.model import Severity
from sovlint.reporters import Report
from sovlint.reporters.ci import locate
from sovlint.reporters.safe import escape_controls
from sovlint.rules import REGISTRY

COMMANDS = {
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "warning",
    Severity.INFO: "notice",
}


def escape_data(text: str) -> str:
    """GitHub's rules (`%`, CR, LF), then any other control character as a visible escape."""
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return escape_controls(escaped)


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report, color: bool = False) -> str:
    lines: list[str] = []
    for item in locate(report):
        f = item.finding
        if f.suppressed:
            continue
        rule = REGISTRY.get(f.rule_id)
        title = f"{f.rule_id} {rule.meta.name}" if rule else f.rule_id
        props = [f"file={escape_property(item.path)}"]
        if f.line >= 1:
            props.append(f"line={f.line}")
            if f.end_line > f.line:
                props.append(f"endLine={f.end_line}")
        props.append(f"title={escape_property(title)}")
        message = f"{f.address}: {f.message}" if f.address else f.message
        if f.fix:
            message += f"\nfix: {f.fix}"
        lines.append(f"::{COMMANDS[f.severity]} {','.join(props)}::{escape_data(message)}")
    from sovlint.reporters.text import summary

    lines.append(summary(report))
    return "\n".join(lines) + "\n"
