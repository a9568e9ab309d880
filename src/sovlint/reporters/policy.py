"""Policy changes a run applied, stated in every report (issue: a pull request can silence the gate).

Repository configuration and inline suppressions are input a pull request controls: it can
`disable` rules, `exclude` paths, relabel an operator through a catalog override, change a
severity, or write `sovlint:ignore ... until=9999-12-31`. `policy_changes` lists each with
where it is defined, for the text summary, the JSON report (`policy`) and the HTML/Markdown
reports (reuse `policy_json` / `policy_lines`).
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sovlint.reporters import Report

FAR_DAYS = 365  # a suppression accepted for longer than this (or forever) is called out


def far_suppressions(report: Report, today: _dt.date | None = None) -> list[dict[str, object]]:
    """Comment suppressions with no expiry or one more than FAR_DAYS away: file, line, until."""
    today = today or _dt.date.today()
    out: dict[tuple[str, int], dict[str, object]] = {}
    for f in report.result.findings:
        if not f.suppressed or f.suppressed_by != "comment":
            continue
        until = f.suppression_until
        try:
            far = until is None or (_dt.date.fromisoformat(until) - today).days > FAR_DAYS
        except ValueError:
            far = True
        if far:
            key = (f.file, f.suppression_line or f.line)
            entry = out.setdefault(
                key, {"file": key[0], "line": key[1], "until": until, "rules": []}
            )
            rules = entry["rules"]
            assert isinstance(rules, list)
            if f.rule_id not in rules:
                rules.append(f.rule_id)
    return [out[k] for k in sorted(out)]


def _scopes(
    report: Report,
) -> list[tuple[str | None, tuple[str, ...], tuple[str, ...], dict[str, str]]]:
    """(configuration, disabled, exclude, severity overrides) of each configuration the run
    used: one per configuration file when several judged parts of the tree."""
    if len(report.configurations) > 1:
        return [
            (use.config, use.disabled, use.exclude, use.severity_overrides)
            for use in report.configurations
        ]
    return [(report.config_path, report.disabled, report.exclude, report.severity_overrides)]


def policy_json(report: Report) -> dict[str, object]:
    """Everything that changed what the profile alone would report, and where it is defined."""
    scopes = _scopes(report)
    return {
        "config": report.config_path,
        "disabled_rules": [
            {"rule": r, "defined_in": where} for where, disabled, _, _ in scopes for r in disabled
        ],
        "excluded_paths": [
            {"glob": g, "defined_in": where} for where, _, exclude, _ in scopes for g in exclude
        ],
        "severity_overrides": [
            {"rule": r, "severity": s, "defined_in": where}
            for where, _, _, overrides in scopes
            for r, s in sorted(overrides.items())
        ],
        "catalog_overrides": list(report.catalog_overrides),
        "inline_suppressions": report.inline_suppressions,
        "max_suppression_days": report.max_suppression_days,
        "far_suppressions": far_suppressions(report),
    }


def policy_lines(report: Report) -> list[str]:
    """One `policy:` line per kind of change and configuration (none when the run used the
    profile as is)."""
    data = policy_json(report)
    lines = []
    for config, disabled, exclude, overrides in _scopes(report):
        where = f" (in {config})" if config else ""
        if disabled:
            lines.append(f"policy: rules disabled{where}: {', '.join(disabled)}")
        if exclude:
            lines.append(f"policy: paths excluded{where}: {', '.join(exclude)}")
        if overrides:
            pairs = ", ".join(f"{r}={s}" for r, s in sorted(overrides.items()))
            lines.append(f"policy: severities changed{where}: {pairs}")
    if report.catalog_overrides:
        lines.append(f"policy: catalog overridden by {', '.join(report.catalog_overrides)}")
    if not report.inline_suppressions:
        lines.append(
            "policy: inline sovlint:ignore comments not honoured (--no-inline-suppressions)"
        )
    far = data["far_suppressions"]
    assert isinstance(far, list)
    if far:
        shown = ", ".join(
            f"{s['file']}:{s['line']} until {s['until'] or 'never'}" for s in far[:5]
        ) + (f" +{len(far) - 5}" if len(far) > 5 else "")
        lines.append(f"policy: suppressions for more than {FAR_DAYS} days: {shown}")
    return lines
