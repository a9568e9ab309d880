"""`--format markdown`: the HTML report's summary, compact enough for a pull-request comment
(GitHub and GitLab both render it). With a baseline (or --compare), new findings come first."""

from __future__ import annotations

from sovlint.model import Finding
from sovlint.reporters import Report
from sovlint.reporters import summary as s

MAX_LISTED = 30


def _cell(value: object) -> str:
    """Text safe in a table cell and inline: pipes, newlines, HTML and backticks neutralised."""
    text = "" if value is None else str(value)
    for old, new in (("\\", "\\\\"), ("|", "\\|"), ("<", "&lt;"), (">", "&gt;"), ("`", "'")):
        text = text.replace(old, new)
    return " ".join(text.split())


def plural(count: int, noun: str) -> str:
    from sovlint.reporters.text import plural as text_plural

    return text_plural(count, noun)


def _item(f: Finding) -> str:
    from sovlint.reporters.text import via

    reached = f" ({_cell(via(f))})" if f.callers else ""
    return (
        f"- **{f.severity.label}** {f.rule_id} `{_cell(f.file)}:{f.line}` "
        f"`{_cell(f.address)}`: {_cell(f.message)}{reached}"
    )


def _listing(title: str, findings: list[Finding]) -> list[str]:
    if not findings:
        return []
    lines = [f"#### {title} ({len(findings)})", ""]
    lines += [_item(f) for f in findings[:MAX_LISTED]]
    if len(findings) > MAX_LISTED:
        lines.append(f"- … and {len(findings) - MAX_LISTED} more (see the full report)")
    return [*lines, ""]


def _new_first(report: Report) -> list[str]:
    findings = s.active(report)
    baselined = [f for f in s.suppressed(report) if f.suppressed_by == "baseline"]
    diff = s.changes(report)
    if diff is not None:
        new = diff.new
        rest = [f for f in findings if f not in new]
        out = _listing("New since the earlier report", new)
        out += [f"{len(diff.fixed)} finding(s) resolved since the earlier report.", ""]
        return out + _listing("Still open", rest)
    if baselined:
        note = f"{len(baselined)} finding(s) recorded in the baseline are not repeated here."
        return [*_listing("New findings (not in the baseline)", findings), note, ""]
    return _listing("Findings", findings)


def render(report: Report, color: bool = False) -> str:
    passes, sentence = s.verdict_line(report)
    items = report.result.inventory
    mark = "✅ Pass" if passes else "❌ Fail"
    lines = [
        f"### sovlint {mark}: {report.profile.name}",
        "",
        f"{_cell(sentence)} {plural(len(report.result.files), 'file')} read, "
        f"{plural(len(items), 'item')} inventoried, "
        f"{sum(1 for i in items if i.verdict.value == 'not_sovereign')} not sovereign, "
        f"{sum(1 for i in items if i.verdict.value == 'unknown')} unknown.",
        "",
    ]
    lines += _new_first(report)
    rows = s.by_operator(items)
    if rows:
        lines += [
            "<details><summary>Bill of materials by operator</summary>",
            "",
            "| Operator | Jurisdiction | Countries | Items | Not sovereign | Unknown |",
            "|---|---|---|---:|---:|---:|",
        ]
        lines += [
            f"| {_cell(r.operator)} | {_cell(r.jurisdiction)} | {_cell(', '.join(r.countries))} | "
            f"{r.total} | {r.verdicts['not_sovereign']} | {r.verdicts['unknown']} |"
            for r in rows
        ]
        lines += ["", "</details>", ""]
    accepted = s.suppressed(report)
    if accepted:
        lines += [
            f"<details><summary>Exceptions register ({len(accepted)})</summary>",
            "",
            "| Rule | Where | Accepted by | Reason | Until |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| {f.rule_id} | `{_cell(f.file)}:{f.line}` | {f.suppressed_by} | "
            f"{_cell(f.suppression_reason or 'no reason given')} | {f.suppression_until or '—'} |"
            for f in accepted[:MAX_LISTED]
        ]
        lines += ["", "</details>", ""]
    dated = f" · catalog facts as of {s.catalog_date(report)}" if report.catalog else ""
    lines.append(
        f"<sub>sovlint {_cell(report.tool_version)} · profile {_cell(report.profile.name)}"
        f"{_cell(dated)}</sub>"
    )
    return "\n".join(lines) + "\n"
