"""`sovlint merge`: combine the JSON reports of sharded runs (`--shard K/N`) into one report.

The merged report is what one unsharded scan of the same tree gives (same findings,
inventory, files and summary, same ordering), rendered in any format. The reports must be
exactly shards 1..N of one scan: same N, each K once, none missing, same sovlint version,
profile, configuration and catalog overrides; anything else is refused (exit 2).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sovlint.dedupe import ITEM_FIELDS, finding_order, item_order
from sovlint.engine import ScanResult
from sovlint.model import Finding, InventoryItem, Severity, Verdict
from sovlint.profiles import Profile
from sovlint.reporters.configurations import ConfigurationUse
from sovlint.reporters.json_report import FINDING_KEYS, SCHEMA_VERSION


class MergeError(ValueError):
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


@dataclass
class Merged:
    result: ScanResult
    profile: Profile
    version: str
    overrides: list[str]
    settings: dict[str, Any]
    configurations: list[ConfigurationUse]


# What every shard of one scan shares: a report that differs in any of these is from
# another scan, and merging it would give a report no unsharded scan gives.
_SHARED = (
    ("tool", "sovlint version"),
    ("profile", "profile"),
    ("settings", "configuration"),
    ("catalog", "catalog overrides"),
)


def _fact_key(raw: dict[str, Any]) -> str:
    """A finding's identity in a report: everything but its callers (and the fingerprint,
    which depends on the order of the whole report). Mirrors dedupe.distinct_findings."""
    return json.dumps(
        {k: v for k, v in raw.items() if k not in ("callers", "fingerprint")}, sort_keys=True
    )


def _load(path: Path) -> dict[str, Any]:
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
    return data


def _configurations(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The configurations a report used, without the files each judged (shards differ there)."""
    uses = data["configurations"]
    if not isinstance(uses, list):
        raise MergeError("malformed report (configurations is not a list)")
    return [{k: v for k, v in use.items() if k != "files"} for use in uses]


def _merged_configurations(reports: list[dict[str, Any]]) -> list[ConfigurationUse]:
    uses = [ConfigurationUse.from_json(use) for use in reports[0]["configurations"]]
    for index, use in enumerate(uses):
        files = {f for data in reports for f in data["configurations"][index]["files"]}
        use.files = sorted(files)
    return uses


def _check_set(paths: list[Path], reports: list[dict[str, Any]]) -> None:
    """Exactly the shards 1..N of one scan, each once, all made the same way."""
    first = reports[0]
    counts = set()
    seen: dict[int, Path] = {}
    for path, data in zip(paths, reports, strict=True):
        shard = data.get("shard")
        if not isinstance(shard, dict) or not {"index", "count"} <= set(shard):
            raise MergeError(f"{path}: not the report of a `sovlint scan --shard K/N` run")
        index, count = shard["index"], shard["count"]
        counts.add(count)
        if len(counts) > 1:
            raise MergeError(f"{path}: shard {index}/{count}, but {paths[0]} is of another N")
        if index in seen:
            raise MergeError(f"{path}: shard {index}/{count} again (also {seen[index]})")
        seen[index] = path
        for key, what in _SHARED:
            if data.get(key) != first.get(key):
                raise MergeError(f"{path}: another {what} than {paths[0]}; shards must share it")
        if _configurations(data) != _configurations(first):
            raise MergeError(
                f"{path}: other configurations than {paths[0]}; shards must share them"
            )
    (count,) = counts
    missing = sorted(set(range(1, count + 1)) - set(seen))
    if missing:
        names = ", ".join(f"{k}/{count}" for k in missing)
        raise MergeError(f"incomplete set of shards: {names} missing (a partial report would pass)")


def merge_reports(paths: list[Path]) -> Merged:
    """The report one unsharded scan gives, from the reports of all its shards."""
    if not paths:
        raise MergeError("no reports to merge")
    reports = [_load(path) for path in paths]
    try:
        _check_set(paths, reports)
        findings: dict[str, Finding] = {}
        direct: set[str] = set()
        inventory: dict[tuple[object, ...], InventoryItem] = {}
        files: set[str] = set()
        for path, data in zip(paths, reports, strict=True):
            keys: dict[str, tuple[str, str]] = {}
            for raw in data["findings"]:
                if set(raw) != set(FINDING_KEYS):
                    raise MergeError(f"{path}: a finding does not have the report's keys")
                f = _finding(raw)
                key = _fact_key(raw)
                if not f.callers:
                    direct.add(key)  # reached as a root itself: no caller list (as unsharded)
                if key in findings:  # reached from roots of several shards
                    f.callers = tuple(sorted({*findings[key].callers, *f.callers}))
                findings[key] = f
                keys[raw["fingerprint"]] = (f.file, f.address)
            for raw in data["inventory"]:
                item = _item(raw, keys)
                item_key = tuple(getattr(item, name) for name in ITEM_FIELDS)
                kept = inventory.setdefault(item_key, item)
                if kept is not item:  # as distinct_items: one item, the links of all roots
                    kept.links = tuple(sorted({*kept.links, *item.links}))
            files.update(data["files"])
        for key in direct:
            findings[key].callers = ()
        first = reports[0]
        result = ScanResult(
            sorted(findings.values(), key=finding_order),
            sorted(inventory.values(), key=item_order),
            sorted(files),
        )
        return Merged(
            result,
            _profile(first["profile"]),
            first["tool"]["version"],
            list(first.get("catalog", {}).get("overrides", [])),
            dict(first.get("settings") or {}),
            _merged_configurations(reports),
        )
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, MergeError):
            raise
        raise MergeError(f"malformed report ({type(exc).__name__}: {exc})") from None
