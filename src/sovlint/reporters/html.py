"""`--format html`: one self-contained page a DPO or auditor reads (and prints).

No network: inline CSS and inline SVG, no script, font or image, and a Content-Security-Policy
that forbids loading anything. Accessible: one h1, sections with h2, tables with caption and
th scope, charts with role="img", title and desc, colours with WCAG AA contrast."""

from __future__ import annotations

from html import escape
from pathlib import Path

from sovlint.model import Finding
from sovlint.reporters import Report
from sovlint.reporters import summary as s
from sovlint.reporters.configurations import scoped
from sovlint.reporters.html_charts import bar_chart

_CSS = (Path(__file__).with_name("html.css")).read_text(encoding="utf-8")
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'"
_VERDICTS = ("sovereign", "not_sovereign", "unknown", "neutral")


def _e(value: object) -> str:
    return escape("" if value is None else str(value))


def _table(
    caption: str, headers: list[str], rows: list[list[str]], empty: str, css: str = ""
) -> str:
    """A data table; cells are already-escaped HTML, the first cell of a row is its header."""
    if not rows:
        return f'<p class="empty">{_e(empty)}</p>'
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in headers)
    body = "".join(
        f'<tr><th scope="row">{row[0]}</th>{"".join(f"<td>{c}</td>" for c in row[1:])}</tr>'
        for row in rows
    )
    return (
        f'<div class="scroll"><table class="{css}"><caption>{_e(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def _link(url: str) -> str:
    """Each source URL of a catalog fact as a link (the text is the URL: it prints)."""
    parts = [p.strip() for p in url.split(";") if p.strip()]
    out = []
    for part in parts:
        address, _sep, note = part.partition(" ")
        if address.startswith("https://"):
            out.append(f'<a href="{_e(address)}">{_e(address)}</a>{_e(" " + note if note else "")}')
        else:
            out.append(_e(part))
    return "<br>".join(out)


def _verdict_cells(counter: dict[str, int]) -> list[str]:
    return [str(counter.get(v, 0)) for v in _VERDICTS]


def _bom(report: Report) -> str:
    items = report.result.inventory
    operators = [
        [_e(r.operator), _e(r.jurisdiction), _e(", ".join(r.countries) or s.UNKNOWN),
         _e(", ".join(r.providers)), str(r.total), *_verdict_cells(r.verdicts)]
        for r in s.by_operator(items)
    ]  # fmt: skip
    units = [[_e(unit), str(sum(c.values())), *_verdict_cells(c)] for unit, c in s.by_unit(items)]
    verdicts = ["Sovereign", "Not sovereign", "Unknown", "Neutral"]
    return (
        '<section aria-labelledby="bom"><h2 id="bom">Sovereignty bill of materials</h2>'
        "<p>Every provider, resource, data source, backend and Kubernetes object sovlint saw, "
        "with who operates it and the verdict under the profile.</p>"
        + _table(
            "By operator and jurisdiction",
            ["Operator", "Jurisdiction", "Countries", "Providers", "Items", *verdicts],
            operators,
            "Nothing was inventoried.",
        )
        + _table("By module or namespace", ["Module or namespace", "Items", *verdicts], units, "")
        + "</section>"
    )


def _charts(report: Report) -> str:
    items, findings = report.result.inventory, s.active(report)
    figures = [
        ("c-jur", "Resources by jurisdiction", s.count([i.jurisdiction for i in items])),
        ("c-country", "Resources by country", s.count([i.country for i in items])),
        ("c-rule", "Findings by rule", s.count([f.rule_id for f in findings])),
        ("c-sev", "Findings by severity", s.findings_by_severity(findings)),
    ]
    body = "".join(
        f"<figure>{bar_chart(cid, title, rows)}<figcaption>{_e(title)}</figcaption></figure>"
        for cid, title, rows in figures
    )
    return f'<section aria-labelledby="charts"><h2 id="charts">At a glance</h2><div class="charts">{body}</div></section>'


_FINDING_HEADERS = ["Severity", "Rule", "Where", "Address", "Why", "Operator", "Fix"]


def _finding_rows(findings: list[Finding]) -> list[list[str]]:
    from sovlint.reporters.text import via

    return [
        [f'<span class="sev sev-{f.severity.label}">{_e(f.severity.label)}</span>', _e(f.rule_id),
         f"<code>{_e(f.file)}:{f.line}</code>" + (f"<br><small>{_e(via(f))}</small>" if f.callers else ""),
         f"<code>{_e(f.address)}</code>", _e(f.message), _e(f.operator or s.UNKNOWN), _e(f.fix)]
        for f in findings
    ]  # fmt: skip


def _findings(report: Report) -> str:
    return (
        '<section aria-labelledby="findings"><h2 id="findings">Findings</h2>'
        + _table(
            "What the profile forbids",
            _FINDING_HEADERS,
            _finding_rows(s.active(report)),
            "No finding.",
            "findings",
        )
        + "</section>"
    )


def _changes(report: Report) -> str:
    diff = s.changes(report)
    if diff is None:
        return ""
    fixed = [
        [_e(f.get("rule_id")), f"<code>{_e(f.get('file'))}:{_e(f.get('line'))}</code>",
         f"<code>{_e(f.get('address'))}</code>", _e(f.get("message"))]
        for f in diff.fixed
    ]  # fmt: skip
    return (
        '<section aria-labelledby="changes"><h2 id="changes">Changes since the earlier report</h2>'
        f"<p>{len(diff.new)} new, {len(diff.fixed)} resolved "
        f"(the earlier report had {diff.previous_total} open findings).</p>"
        + _table(
            "New findings", _FINDING_HEADERS, _finding_rows(diff.new), "No new finding.", "findings"
        )
        + _table("Resolved findings", ["Rule", "Where", "Address", "Why"], fixed, "None resolved.")
        + "</section>"
    )


def _accepted_by(f: Finding) -> str:
    if f.suppressed_by != "comment":
        return "baseline file"
    at = f" at {f.file}:{f.suppression_line}" if f.suppression_line else ""
    return f"sovlint:ignore comment{at}"


def _exceptions(report: Report) -> str:
    rows = [
        [_e(f.rule_id), f"<code>{_e(f.file)}:{f.line}</code>", f"<code>{_e(f.address)}</code>",
         _e(_accepted_by(f)),
         _e(f.suppression_reason or "no reason given"), _e(f.suppression_until or "no expiry")]
        for f in s.suppressed(report)
    ]  # fmt: skip
    rows += [
        [_e(rule_id), f"<code>{_e(file)}</code>", f"<code>{_e(address)}</code>",
         _e(f"baseline file {report.baseline_file}"),
         _e(f"recorded {count}x, no longer found (fixed or moved): the entry can be removed"), "no expiry"]
        for file, address, rule_id, count in report.stale_baseline
    ]  # fmt: skip
    return (
        '<section aria-labelledby="exceptions"><h2 id="exceptions">Exceptions register</h2>'
        "<p>Every accepted finding: who accepted it where, why, and until when.</p>"
        + _table(
            "Suppressions and baseline entries",
            ["Rule", "Where", "Address", "Accepted by", "Reason", "Until"],
            rows,
            "No exception: nothing is suppressed.",
        )
        + "</section>"
    )


def _alternatives(report: Report) -> str:
    fams = [
        [_e(f.name), _e(f.operator), str(f.items), _e(f.fix), _link(f.source)]
        for f in s.families(report)
    ]
    alts = [
        [_e(a.provider), _e(a.operator), _e(a.country), _link(a.source)]
        for a in s.alternatives(report)
    ]
    return (
        '<section aria-labelledby="alternatives"><h2 id="alternatives">Sovereign alternatives</h2>'
        + _table(
            "Non-sovereign provider families and the catalog's migration hint",
            ["Provider", "Operator", "Items", "Migration hint", "Source"],
            fams,
            "No non-sovereign provider family.",
        )
        + _table(
            f"Providers the catalog knows whose operator {report.profile.name} accepts",
            ["Provider", "Operator", "Country", "Source"],
            alts,
            "The profile does not judge operators.",
        )
        + "</section>"
    )


def _configuration(report: Report) -> str:
    p = report.profile
    rows = [
        ("Configuration file", scoped(report, report.config_path or "none found (built-in defaults)", lambda u: [f"{len(u.files)} files"])),
        ("Profile", f"{p.name}: {p.title}"),
        ("Profile file", p.file or "from the merged reports"),
        ("Operator countries", ", ".join(sorted(p.operator_countries)) if p.operator_countries is not None else "any"),
        ("Location countries", ", ".join(sorted(p.location_countries))),
        ("Certifications required", ", ".join(p.certifications) or "none"),
        ("allow_countries", ", ".join(p.extended_countries) or "none"),
        ("allow_providers", ", ".join(sorted(p.allow_providers)) or "none"),
        ("deny_providers", ", ".join(sorted(p.deny_providers)) or "none"),
        ("Disabled rules", scoped(report, ", ".join(report.disabled) or "none", lambda u: list(u.disabled))),
        ("Severity overrides", scoped(report, ", ".join(f"{k}: {v}" for k, v in report.severity_overrides.items()) or "none", lambda u: [f"{k}: {v}" for k, v in u.severity_overrides.items()])),
        ("Excluded paths", scoped(report, ", ".join(report.exclude) or "none", lambda u: list(u.exclude))),
        ("Catalog overrides", ", ".join(report.catalog_overrides) or "none"),
        ("Catalog facts as of", s.catalog_date(report)),
        ("sovlint version", report.tool_version),
    ]  # fmt: skip
    body = "".join(f'<tr><th scope="row">{_e(k)}</th><td>{_e(v)}</td></tr>' for k, v in rows)
    return (
        '<section aria-labelledby="config"><h2 id="config">Effective configuration</h2>'
        f'<div class="scroll"><table class="kv"><caption>What this verdict was computed with</caption>'
        f"<tbody>{body}</tbody></table></div></section>"
    )


def render(report: Report, color: bool = False) -> str:
    passes, sentence = s.verdict_line(report)
    items = report.result.inventory
    figures = [
        ("Files read", len(report.result.files)),
        ("Inventoried items", len(items)),
        ("Not sovereign", sum(1 for i in items if i.verdict.value == "not_sovereign")),
        ("Unknown", sum(1 for i in items if i.verdict.value == "unknown")),
        ("Open findings", len(s.active(report))),
        ("Accepted exceptions", len(s.suppressed(report))),
    ]
    tiles = "".join(f"<div><dt>{_e(k)}</dt><dd>{v}</dd></div>" for k, v in figures)
    title = f"Sovereignty report ({report.profile.name})"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="sovlint {_e(report.tool_version)}">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>"
        f'<header><h1>{_e(title)}</h1><p class="sub">{_e(report.profile.title)} · '
        f"sovlint {_e(report.tool_version)} · catalog facts as of {_e(s.catalog_date(report))}</p>"
        f'<p class="verdict {"pass" if passes else "fail"}"><strong>{"Pass" if passes else "Fail"}:</strong> '
        f'{_e(sentence)}</p><dl class="figures">{tiles}</dl></header><main>'
        + _changes(report)
        + _charts(report)
        + _bom(report)
        + _findings(report)
        + _exceptions(report)
        + _alternatives(report)
        + _configuration(report)
        + "</main><footer><p>Generated by sovlint from static analysis of the files listed; "
        "no code was run and no network was used. Every catalog fact names its public source.</p>"
        "</footer></body></html>\n"
    )
