"""GitLab Code Quality report (`artifacts:reports:codequality`): a JSON array of issues.

Each issue has `description`, `check_name`, `fingerprint`, `severity`
(info, minor, major, critical, blocker), `location.path` (repository-relative)
and `location.lines.begin`. Fingerprints come from rule + file + address, so an
issue keeps its identity when lines move. Suppressed findings are left out:
Code Quality has no notion of a suppressed issue.
"""

from __future__ import annotations

import json

from sovlint.model import Finding, Severity
from sovlint.reporters import Report
from sovlint.reporters.ci import locate
from sovlint.reporters.safe import json_text
from sovlint.rules import REGISTRY

SEVERITIES = {
    Severity.INFO: "info",
    Severity.LOW: "minor",
    Severity.MEDIUM: "major",
    Severity.HIGH: "critical",
}


def severity(f: Finding) -> str:
    """A finding that cannot be waived (an unreadable file, SOV001) blocks; others map by severity."""
    rule = REGISTRY.get(f.rule_id)
    if rule is not None and not rule.meta.suppressible and f.severity >= Severity.HIGH:
        return "blocker"
    return SEVERITIES[f.severity]


def report_gitlab(report: Report) -> list[dict[str, object]]:
    issues: list[dict[str, object]] = []
    for item in locate(report):
        f = item.finding
        if f.suppressed:
            continue
        description = f"{f.rule_id} {f.address}: {f.message}" if f.address else f.message
        issue: dict[str, object] = {
            "type": "issue",
            "engine_name": "sovlint",
            "description": description,
            "check_name": f.rule_id,
            "fingerprint": item.fingerprint,
            "severity": severity(f),
            "categories": ["Security"],
            "location": {"path": item.path, "lines": {"begin": max(f.line, 1)}},
        }
        if f.fix:
            issue["content"] = {"body": f"Fix: {f.fix}"}
        issues.append(issue)
    return issues


def render(report: Report, color: bool = False) -> str:
    return json_text(json.dumps(report_gitlab(report), indent=2, ensure_ascii=False)) + "\n"
