"""`sovlint merge`: combine the JSON reports of sharded runs (`--shard K/N`) into one report.

The merged report is what one unsharded scan of the same tree gives (same ordering),
rendered in any format. Shards must share the profile and sovlint version.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sovlint.engine import ScanResult
from sovlint.model import Finding, InventoryItem, Severity, Verdict
from sovlint.profiles import Profile
from sovlint.reporters.json_report import FINDING_KEYS, SCHEMA_VERSION


class MergeError(Exception):
    """A report that cannot be merged (one line, names the file)."""


def _finding(data: dict[str, Any]) -> Finding:
    sup = data["suppression"]
    return Finding(
        rule_id=data["rule_id"],
        severity=Severity.parse(data["severity"]),
        message=data["message"],
        file=data["file"],
        line=int(data["line"]),
        end_line=int(data["end_line"]),
        address=data["address"],
        provider=data["provider"],
        operator=data["operator"],
        jurisdiction=data["jurisdiction"],
        region=data["region"],
        country=data["country"],
        fix=data["fix"],
        block_line=int(data["line"]),
        suppressed=bool(data["suppressed"]),
        suppression_reason=(sup or {}).get("reason")
        or ("suppressed in the shard's report" if data["suppressed"] else None),
        suppressed_by=(sup or {}).get("by") or "comment",
        suppression_until=(sup or {}).get("until"),
        suppression_line=int((sup or {}).get("line") or 0),
        callers=tuple(data["callers"]),
    )


def _item(data: dict[str, Any], keys: dict[str, tuple[str, str]]) -> InventoryItem:
    """An inventory item; its linked findings become (file, address) links again, so the merged
    report recomputes their fingerprints like one unsharded scan."""
    own = (data["file"], data["address"])
    links = tuple(dict.fromkeys(keys[fp] for fp in data["findings"] if keys[fp] != own))
    return InventoryItem(
        data["kind"], data["address"], data["file"], int(data["line"]), data["provider"], data["operator"],
        data["jurisdiction"], data["region"], data["country"], Verdict(data["verdict"]), links,
    )  # fmt: skip


def _profile(data: dict[str, Any]) -> Profile:
    operator = data.get("operator_countries")
    return Profile(
        name=data["name"],
        title=data["title"],
        description="",
        operator_countries=frozenset(operator) if operator is not None else None,
        forbidden_exposure=frozenset(data["forbidden_exposure"]),
        location_countries=frozenset(data["location_countries"]),
        certifications=tuple(data["certifications"]),
        file="",
        allow_providers=frozenset(data.get("allow_providers", [])),
        deny_providers=frozenset(data.get("deny_providers", [])),
        allow_registries=tuple(data.get("allow_registries", [])),
        extended_countries=tuple(data.get("allow_countries", [])),
    )


def merge_reports(paths: list[Path]) -> tuple[ScanResult, Profile, str, list[str]]:
    """(result, profile, tool version, catalog overrides) of the combined reports."""
    findings: dict[tuple[object, ...], Finding] = {}
    inventory: dict[tuple[object, ...], InventoryItem] = {}
    files: set[str] = set()
    profile_json: dict[str, Any] | None = None
    version: str | None = None
    overrides: list[str] = []
    for path in paths:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise MergeError(f"{path}: not a readable JSON report ({exc})") from None
        if (
            not isinstance(data, dict)
            or data.get("schema_version") != SCHEMA_VERSION
            or "files" not in data
        ):
            raise MergeError(
                f"{path}: not a sovlint JSON report (schema_version {SCHEMA_VERSION} with files)"
            )
        try:
            if profile_json is None:
                profile_json, version = data["profile"], data["tool"]["version"]
            elif data["profile"] != profile_json:
                raise MergeError(
                    f"{path}: scanned with another profile than {paths[0]}; shards must share it"
                )
            elif data["tool"]["version"] != version:
                raise MergeError(
                    f"{path}: made by sovlint {data['tool']['version']}, {paths[0]} by {version}"
                )
            keys: dict[str, tuple[str, str]] = {}
            for raw in data["findings"]:
                if set(raw) != set(FINDING_KEYS):
                    raise MergeError(f"{path}: a finding does not have the report's keys")
                f = _finding(raw)
                key = (f.file, f.line, f.rule_id, f.address, f.message, f.suppressed)
                if key in findings:  # reached from roots of several shards
                    f.callers = tuple(sorted({*findings[key].callers, *f.callers}))
                findings[key] = f
                keys[raw["fingerprint"]] = (f.file, f.address)
            for raw in data["inventory"]:
                i = _item(raw, keys)
                inventory[(i.file, i.line, i.address, i.kind)] = i
            files.update(data["files"])
            overrides += [
                o for o in data.get("catalog", {}).get("overrides", []) if o not in overrides
            ]
        except (KeyError, TypeError, ValueError) as exc:
            raise MergeError(f"{path}: malformed report ({type(exc).__name__}: {exc})") from None
    if profile_json is None or version is None:
        raise MergeError("no reports to merge")
    result = ScanResult(
        sorted(findings.values(), key=Finding.sort_key),
        sorted(inventory.values(), key=lambda i: (i.file, i.line, i.address)),
        sorted(files),
    )
    return result, _profile(profile_json), version, overrides
