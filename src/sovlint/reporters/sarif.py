"""SARIF 2.1.0 for code-scanning UIs (GitHub code scanning, GitLab, Azure DevOps, IDE viewers).

One run. `tool.driver.rules` lists every rule of the registry with its help and
`helpUri`; each result points at a repository-relative URI under `%SRCROOT%`,
carries `partialFingerprints` computed from rule + file + address (not the
line, so alerts survive code moving), and suppressed findings are kept with a
`suppressions` entry (`inSource` for a `sovlint:ignore` comment, `external`
for a baseline).
"""

from __future__ import annotations

import json
from urllib.parse import quote

from sovlint.model import Finding, Severity
from sovlint.reporters import Report
from sovlint.reporters.ci import SECURITY_SEVERITY, Located, locate, source_root
from sovlint.rules import REGISTRY
from sovlint.rules.base import RuleMeta

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://github.com/sovlint/sovlint"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "sovlint/v1"

LEVELS = {
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}


def _rule(meta: RuleMeta) -> dict[str, object]:
    text = f"{meta.title}.\n\nWhy: {meta.rationale}\n\nFix: {meta.fix}"
    markdown = (
        f"**{meta.id} {meta.name}**: {meta.title}.\n\n"
        f"**Why.** {meta.rationale}\n\n**Fix.** {meta.fix}\n\n[Rule reference]({meta.help_uri})"
    )
    return {
        "id": meta.id,
        "name": meta.name,
        "shortDescription": {"text": meta.title},
        "fullDescription": {"text": meta.rationale},
        "help": {"text": text, "markdown": markdown},
        "helpUri": meta.help_uri,
        "defaultConfiguration": {"level": LEVELS[meta.severity]},
        "properties": {
            "tags": ["security", "sovereignty", *meta.frameworks],
            "security-severity": SECURITY_SEVERITY[meta.severity],
            "severity": meta.severity.label,
            "suppressible": meta.suppressible,
        },
    }


def _unknown_rule(rule_id: str, severity: Severity) -> dict[str, object]:
    """A descriptor for a finding whose rule is not in the registry (kept rather than dropped)."""
    return {
        "id": rule_id,
        "shortDescription": {"text": rule_id},
        "defaultConfiguration": {"level": LEVELS[severity]},
        "properties": {"security-severity": SECURITY_SEVERITY[severity]},
    }


def _uri(item: Located) -> dict[str, object]:
    if item.inside_root:
        return {"uri": quote(item.path, safe="/", errors="surrogateescape"), "uriBaseId": SRCROOT}
    return {"uri": "file://" + quote(item.path, safe="/", errors="surrogateescape")}


def _result(item: Located, rule_index: int) -> dict[str, object]:
    f: Finding = item.finding
    physical: dict[str, object] = {"artifactLocation": _uri(item)}
    if f.line >= 1:
        physical["region"] = {"startLine": f.line, "endLine": max(f.line, f.end_line)}
    text = f"{f.address}: {f.message}" if f.address else f.message
    if f.fix:
        text += f"\nFix: {f.fix}"
    properties: dict[str, object] = {
        "severity": f.severity.label,
        "security-severity": SECURITY_SEVERITY[f.severity],
    }
    for key in ("provider", "operator", "jurisdiction", "region", "country"):
        value = getattr(f, key)
        if value is not None:
            properties[key] = value
    result: dict[str, object] = {
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "level": LEVELS[f.severity],
        "message": {"text": text},
        "locations": [
            {
                "physicalLocation": physical,
                "logicalLocations": [{"fullyQualifiedName": f.address, "kind": "resource"}],
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: item.fingerprint},
        "properties": properties,
    }
    if f.suppressed:
        result["suppressions"] = [
            {
                "kind": "external" if f.suppressed_by == "baseline" else "inSource",
                "status": "accepted",
                "justification": f.suppression_reason or "(no reason given)",
            }
        ]
    return result


def report_sarif(report: Report) -> dict[str, object]:
    rules: list[dict[str, object]] = [_rule(r.meta) for r in REGISTRY.values()]
    index = {rule_id: i for i, rule_id in enumerate(REGISTRY)}
    results = []
    for item in locate(report):
        rule_id = item.finding.rule_id
        if rule_id not in index:
            index[rule_id] = len(rules)
            rules.append(_unknown_rule(rule_id, item.finding.severity))
        results.append(_result(item, index[rule_id]))
    root_uri = source_root(report).as_uri().rstrip("/") + "/"
    run: dict[str, object] = {
        "tool": {
            "driver": {
                "name": "sovlint",
                "version": report.tool_version,
                "semanticVersion": report.tool_version,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }
        },
        "automationDetails": {"id": f"sovlint/{report.profile.name}/"},
        "originalUriBaseIds": {SRCROOT: {"uri": root_uri}},
        "results": results,
        "columnKind": "unicodeCodePoints",
        "properties": {
            "profile": report.profile.name,
            "catalogOverrides": list(report.catalog_overrides),
            "configurations": [
                {"config": use.config, "files": len(use.files)} for use in report.configurations
            ],
        },
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report, color: bool = False) -> str:
    return json.dumps(report_sarif(report), indent=2, ensure_ascii=False) + "\n"
