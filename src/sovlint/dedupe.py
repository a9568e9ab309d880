"""One finding per distinct fact: a child module judged once per root that calls it gives
the same finding many times (same file, line, rule and message); they become one finding
that lists its callers. Findings that differ in anything (another region from another
caller's inputs) stay apart: each is a fact of its own."""

from __future__ import annotations

import dataclasses
import operator

from sovlint.model import Finding, InventoryItem

_CALLERS = "callers"
_FIELDS = tuple(f.name for f in dataclasses.fields(Finding) if f.name != _CALLERS)
ITEM_FIELDS = tuple(f.name for f in dataclasses.fields(InventoryItem) if f.name != "links")


_fact = operator.attrgetter(*_FIELDS)  # (one C call per finding: a scan has tens of thousands)


def fact_of(finding: Finding) -> tuple[object, ...]:
    """What makes a finding a distinct fact: every field but its callers."""
    fact: tuple[object, ...] = _fact(finding)
    return fact


# Fields a JSON report carries besides the sort key: a tie is broken the same way on a
# scan's findings and on findings read back from shard reports.
_REPORTED = (
    "end_line",
    "severity",
    "provider",
    "operator",
    "jurisdiction",
    "region",
    "country",
    "suppressed",
)
_ITEM_REPORTED = (
    "kind",
    "provider",
    "operator",
    "jurisdiction",
    "region",
    "country",
    "verdict",
)


_reported = operator.attrgetter(*_REPORTED)
_item_reported = operator.attrgetter(*_ITEM_REPORTED)
_item_fields = operator.attrgetter(*ITEM_FIELDS)


def distinct_findings(findings: list[Finding]) -> list[Finding]:
    """Sorted findings with duplicates merged: callers are the sorted union of theirs."""
    merged: dict[tuple[object, ...], Finding] = {}
    callers: dict[tuple[object, ...], set[str]] = {}
    for finding in findings:
        key = fact_of(finding)
        merged.setdefault(key, finding)
        callers.setdefault(key, set()).update(finding.callers or ("",))
    out = []
    for key, finding in merged.items():
        names = callers[key]
        # "": reached directly (its own module was scanned as a root): no caller list
        finding.callers = () if "" in names else tuple(sorted(names))
        out.append(finding)
    out.sort(key=finding_order)
    return out


def finding_order(finding: Finding) -> tuple[object, ...]:
    """Report order: file, line, rule, address, message, then every other field, so that
    findings differing only in a region (one per caller) have one order however they were
    found (an unsharded scan and a merge of its shards list them alike)."""
    return (*finding.sort_key(), *map(str, _reported(finding)))


def item_order(item: InventoryItem) -> tuple[object, ...]:
    """Inventory order: file, line, address, then every other field (as finding_order)."""
    return (item.file, item.line, item.address, *map(str, _item_reported(item)))


def distinct_items(items: list[InventoryItem]) -> list[InventoryItem]:
    """The bill of materials lists each resource once, however many roots reach it; the
    facts it links to (each root's provider configuration) are united."""
    unique: dict[tuple[object, ...], InventoryItem] = {}
    for item in items:
        # (fields read directly: dataclasses.astuple deep-copies, a tenth of a warm scan)
        key = _item_fields(item)
        kept = unique.setdefault(key, item)
        if kept is not item:
            kept.links = tuple(sorted({*kept.links, *item.links}))
    return sorted(unique.values(), key=item_order)
