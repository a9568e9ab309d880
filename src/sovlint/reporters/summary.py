"""What the HTML and Markdown reports summarise: counts, the bill of materials grouped by
operator and by module or namespace, the exceptions register, the sovereign alternatives the
catalog knows, and what changed since an earlier JSON report. Reporters only lay it out."""

from __future__ import annotations

import posixpath
from collections import Counter
from dataclasses import dataclass, field

from sovlint.model import Finding, InventoryItem, Severity, Verdict
from sovlint.reporters import Report

UNKNOWN = "unknown"
NOTHING = "no operator (nothing to judge)"


@dataclass
class OperatorRow:
    operator: str
    jurisdiction: str
    countries: list[str]
    providers: list[str]
    verdicts: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.verdicts.values())


@dataclass(frozen=True)
class Alternative:
    provider: str
    operator: str
    country: str
    source: str


@dataclass(frozen=True)
class Family:
    """A non-sovereign provider family of the estate and the catalog's migration hint."""

    provider: str
    name: str
    operator: str
    items: int
    fix: str
    source: str


def active(report: Report) -> list[Finding]:
    return [f for f in report.result.findings if not f.suppressed]


def suppressed(report: Report) -> list[Finding]:
    return [f for f in report.result.findings if f.suppressed]


def verdict_line(report: Report) -> tuple[bool, str]:
    """(passes, sentence) for the top of a report."""
    findings = active(report)
    if not findings:
        return (
            True,
            f"No finding under {report.profile.name}: nothing the profile forbids was found.",
        )
    worst = max(f.severity for f in findings)
    counts = Counter(f.severity for f in findings)
    parts = ", ".join(f"{counts[s]} {s.label}" for s in sorted(counts, reverse=True))
    return False, (
        f"Not compliant with {report.profile.name}: {len(findings)} finding"
        f"{'s' if len(findings) != 1 else ''} ({parts}); worst severity {worst.label}."
    )


def by_operator(items: list[InventoryItem]) -> list[OperatorRow]:
    rows: dict[tuple[str, str], OperatorRow] = {}
    for item in items:
        if item.operator:
            key = (item.operator, item.jurisdiction or UNKNOWN)
        elif item.verdict in (Verdict.SOVEREIGN, Verdict.NEUTRAL):
            key = (NOTHING, "none")  # a utility provider, an object with nothing to judge
        else:
            key = (UNKNOWN, UNKNOWN)
        row = rows.setdefault(key, OperatorRow(key[0], key[1], [], []))
        row.verdicts[item.verdict.value] += 1
        if item.country and item.country not in row.countries:
            row.countries.append(item.country)
        if item.provider and item.provider not in row.providers:
            row.providers.append(item.provider)
    for row in rows.values():
        row.countries.sort()
        row.providers.sort()
    return sorted(rows.values(), key=lambda r: (-r.total, r.operator))


def unit_of(item: InventoryItem) -> str:
    """The module directory of a Terraform item, the namespace of a Kubernetes object."""
    if item.kind == "kubernetes":
        parts = item.address.split("/")
        return f"namespace {parts[1]}" if len(parts) == 3 else "cluster-scoped"
    directory = posixpath.dirname(item.file) or "."
    return f"module {directory}"


def by_unit(items: list[InventoryItem]) -> list[tuple[str, Counter[str]]]:
    units: dict[str, Counter[str]] = {}
    for item in items:
        units.setdefault(unit_of(item), Counter())[item.verdict.value] += 1
    return sorted(units.items())


def count(values: list[str | None]) -> list[tuple[str, int]]:
    counter = Counter(v or UNKNOWN for v in values)
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))


def findings_by_severity(findings: list[Finding]) -> list[tuple[str, int]]:
    counter = Counter(f.severity for f in findings)
    return [(s.label, counter[s]) for s in sorted(Severity, reverse=True) if counter[s]]


def families(report: Report) -> list[Family]:
    """Each provider of a non-sovereign item, with the catalog's fix and its source."""
    catalog = report.catalog
    counter = Counter(
        i.provider
        for i in report.result.inventory
        if i.verdict is Verdict.NOT_SOVEREIGN and i.provider
    )
    out = []
    for key, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])):
        entry = catalog.providers.get(key) if catalog is not None else None
        operator = next(
            (i.operator for i in report.result.inventory if i.provider == key and i.operator),
            UNKNOWN,
        )
        fix = entry.fix if entry is not None and entry.fix else _finding_fix(report, key)
        source = entry.provenance.source if entry is not None else ""
        out.append(Family(key, entry.name if entry else key, operator, n, fix, source))
    return out


def _finding_fix(report: Report, provider: str) -> str:
    return next((f.fix for f in report.result.findings if f.provider == provider and f.fix), "")


def alternatives(report: Report) -> list[Alternative]:
    """Cloud and SaaS providers of the catalog whose operator the profile accepts."""
    from sovlint import judge
    from sovlint.model import Attribution

    catalog = report.catalog
    if catalog is None or not report.profile.judges_operators:
        return []
    out = []
    for entry in catalog.providers.values():
        op = catalog.operators.get(entry.operator or "")
        if entry.kind not in ("cloud", "saas") or op is None:
            continue
        att = Attribution(entry.key, op.key, op.name, op.jurisdiction, None, None, "catalog")
        if judge.operator(att, report.profile, catalog).verdict is Verdict.SOVEREIGN:
            out.append(Alternative(entry.name, op.name, op.country, entry.provenance.source))
    return sorted(out, key=lambda a: (a.country, a.provider))


def catalog_date(report: Report) -> str:
    """The newest as-of date of the catalog's provider and operator facts."""
    catalog = report.catalog
    if catalog is None:
        return UNKNOWN
    dates = [p.provenance.as_of for p in catalog.providers.values()]
    dates += [o.provenance.as_of for o in catalog.operators.values()]
    return max(dates, default=UNKNOWN)


def _key(rule_id: object, file: object, address: object, message: object) -> tuple[str, ...]:
    return (str(rule_id), str(file), str(address), str(message))


@dataclass
class Changes:
    new: list[Finding]
    fixed: list[dict[str, object]]
    previous_total: int


def changes(report: Report) -> Changes | None:
    """--compare OLD.json: findings new since that report, and the ones gone."""
    previous = report.previous
    if previous is None:
        return None
    listed = previous.get("findings")
    old: list[dict[str, object]] = (
        [f for f in listed if isinstance(f, dict) and not f.get("suppressed")]
        if isinstance(listed, list)
        else []
    )
    old_keys = {
        _key(f.get("rule_id"), f.get("file"), f.get("address"), f.get("message")) for f in old
    }
    now = active(report)
    now_keys = {_key(f.rule_id, f.file, f.address, f.message) for f in now}
    new = [f for f in now if _key(f.rule_id, f.file, f.address, f.message) not in old_keys]
    fixed = [
        f
        for f in old
        if _key(f.get("rule_id"), f.get("file"), f.get("address"), f.get("message")) not in now_keys
    ]
    return Changes(new, fixed, len(old))
