"""The JSON report: a stable contract (schema_version 3), documented in the README.

Every finding carries the fingerprint SARIF uses (rule + repository-relative file +
address + occurrence, no line); every inventory item lists the fingerprints of the
findings that report it (its own, and its provider's or backend's when its verdict
comes from there), so an `unknown` item can always be traced to what says why.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable

from sovlint.model import Finding, InventoryItem, Verdict
from sovlint.reporters import Report
from sovlint.reporters.ci import fingerprints as finding_fingerprints
from sovlint.reporters.configurations import configurations_json
from sovlint.reporters.policy import policy_json

SCHEMA_VERSION = 3
FINDING_KEYS = (
    "rule_id",
    "severity",
    "message",
    "file",
    "line",
    "end_line",
    "address",
    "provider",
    "operator",
    "jurisdiction",
    "region",
    "country",
    "suppressed",
    "suppression",
    "fix",
    "callers",
    "fingerprint",
)
_LINKED_VERDICTS = (Verdict.UNKNOWN, Verdict.NOT_SOVEREIGN)


def finding_json(f: Finding, fingerprint: str) -> dict[str, object]:
    return {
        "rule_id": f.rule_id,
        "severity": f.severity.label,
        "message": f.message,
        "file": f.file,
        "line": f.line,
        "end_line": f.end_line,
        "address": f.address,
        "provider": f.provider,
        "operator": f.operator,
        "jurisdiction": f.jurisdiction,
        "region": f.region,
        "country": f.country,
        "suppressed": f.suppressed,
        "suppression": suppression_json(f),
        "fix": f.fix,
        "callers": list(f.callers),
        "fingerprint": fingerprint,
    }


def suppression_json(f: Finding) -> dict[str, object] | None:
    """Why and until when a suppressed finding is accepted (None when it is not suppressed)."""
    if not f.suppressed:
        return None
    return {
        "by": f.suppressed_by,
        "reason": f.suppression_reason,
        "until": f.suppression_until,
        "line": f.suppression_line or None,
    }


def inventory_json(i: InventoryItem, linked: list[str]) -> dict[str, object]:
    return {
        "kind": i.kind,
        "address": i.address,
        "file": i.file,
        "line": i.line,
        "provider": i.provider,
        "operator": i.operator,
        "jurisdiction": i.jurisdiction,
        "region": i.region,
        "country": i.country,
        "verdict": i.verdict._value_,  # (`.value` is a slow descriptor, once per item)
        "findings": linked,
    }


def linked_findings(
    items: list[InventoryItem], findings: list[Finding], fingerprints: list[str]
) -> list[list[str]]:
    """For each item, the fingerprints of the findings on it, then (when its verdict is
    unknown or not sovereign) those on the provider configuration or backend it depends on."""
    by_key: dict[tuple[str, str], list[str]] = {}
    for f, fp in zip(findings, fingerprints, strict=True):
        by_key.setdefault((f.file, f.address), []).append(fp)
    out = []
    for item in items:
        own = by_key.get((item.file, item.address), [])
        if item.links and item.verdict in _LINKED_VERDICTS:
            linked = [fp for key in item.links for fp in by_key.get(key, ())]
            out.append(list(dict.fromkeys([*own, *linked])))
        else:
            out.append(list(own))  # (one key's fingerprints are distinct: occurrence numbers)
    return out


def report_json(report: Report) -> dict[str, object]:
    findings = report.result.findings
    fingerprints = finding_fingerprints(report)
    inventory = report.result.inventory
    linked = linked_findings(inventory, findings, fingerprints)
    active = [f for f in findings if not f.suppressed]
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "sovlint", "version": report.tool_version},
        "profile": report.profile.to_json(),
        "catalog": {"overrides": list(report.catalog_overrides)},
        "summary": {
            "files": len(report.result.files),
            "findings": len(active),
            "suppressed": len(findings) - len(active),
            "by_rule": dict(sorted(Counter(f.rule_id for f in active).items())),
            "by_severity": dict(sorted(Counter(f.severity.label for f in active).items())),
        },
        "findings": [finding_json(f, fp) for f, fp in zip(findings, fingerprints, strict=True)],
        "inventory": [inventory_json(i, ids) for i, ids in zip(inventory, linked, strict=True)],
        "files": list(report.result.files),
        "shard": {"index": report.shard[0] + 1, "count": report.shard[1]} if report.shard else None,
        "settings": settings_json(report),
        "policy": policy_json(report),
        "configurations": configurations_json(report),
    }


def settings_json(report: Report) -> dict[str, object]:
    """What this run was configured with (shards must agree on it to be merged)."""
    return {
        "config": report.config_path,
        "disabled": list(report.disabled),
        "severity_overrides": dict(report.severity_overrides),
        "exclude": list(report.exclude),
        "inline_suppressions": report.inline_suppressions,
        "max_suppression_days": report.max_suppression_days,
    }


def render(report: Report, color: bool = False) -> str:
    """Top-level keys and list items one per line, each item compact: readable, grep-able,
    and encoded by json's C encoder (`indent=` falls back to a pure-Python one, slow on
    reports with 100k findings)."""
    parts = ["{\n"]
    items = list(report_json(report).items())
    for index, (key, value) in enumerate(items):
        comma = "," if index < len(items) - 1 else ""
        name = json.dumps(key)
        if isinstance(value, list) and value:
            parts.append(f"  {name}: [\n    ")
            parts.append(",\n    ".join(map(_compact, value)))  # one item a line
            parts.append(f"\n  ]{comma}\n")
        else:
            parts.append(f"  {name}: {_compact(value)}{comma}\n")
    parts.append("}\n")
    return "".join(parts)


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))


def _c_compact() -> Callable[[object], str] | None:
    """`_ENCODER.encode` without building a C encoder per call (`JSONEncoder.encode` makes
    one for every value: a report encodes one per finding and per item); None where the C
    encoder is missing or takes other arguments."""
    from json.encoder import c_make_encoder  # type: ignore[attr-defined]

    if c_make_encoder is None:
        return None
    from json.encoder import encode_basestring

    e = _ENCODER
    try:  # (the arguments JSONEncoder.iterencode gives it, for ensure_ascii=False)
        encoder = c_make_encoder(
            {} if e.check_circular else None,
            e.default,
            encode_basestring,
            e.indent,
            e.key_separator,
            e.item_separator,
            e.sort_keys,
            e.skipkeys,
            e.allow_nan,
        )
    except TypeError:
        return None

    def compact(value: object) -> str:
        if isinstance(value, str):
            return str(encode_basestring(value))
        return "".join(encoder(value, 0))

    return compact


_compact: Callable[[object], str] = _c_compact() or _ENCODER.encode
