"""SOV201 workload-location-not-allowed: a workload or volume pinned to a region or zone
outside the profile's countries."""

from __future__ import annotations

from collections.abc import Iterator

from sovlint import judge
from sovlint.catalog.model import RegionInfo
from sovlint.model import Finding, K8sObject, PlacementRef, Severity, Verdict, WorkloadFacts
from sovlint.rules.base import Context, RuleMeta
from sovlint.rules.k8s_case import Case, refusals

RULE = RuleMeta(
    id="SOV201",
    name="workload-location-not-allowed",
    title="Workload or volume pinned to a location outside the profile's countries",
    severity=Severity.HIGH,
    rationale=(
        "A nodeSelector, a node affinity `In` term, a StorageClass allowedTopologies entry, a "
        "PersistentVolume node affinity or a Karpenter requirement on topology.kubernetes.io/region "
        "or /zone decides in which country the pods run and the data sits. Values are looked up in "
        "the region tables of the clouds that set these labels; a value that several clouds use "
        "for different countries is not judged unless every reading is outside the profile."
    ),
    fix="Pin the workload to a region or zone in the profile's countries (for example eu-west-3 / fr-par / fsn1), or remove the pin.",
    frameworks=("kubernetes",),
    reads=("k8s_objects",),
)


def readings(ctx: Context, p: PlacementRef) -> list[tuple[str, RegionInfo]]:
    """(provider, region) for each cloud whose region table knows the pinned value."""
    label = ctx.catalog.kubernetes.location_labels.get(p.key)
    found: list[tuple[str, RegionInfo]] = []
    for key in label.providers if label is not None else ():
        entry = ctx.catalog.providers.get(key)
        info = entry.region(p.value) if entry is not None else None
        if info is not None:
            found.append((key, info))
    return found


def placement_case(ctx: Context, address: str, p: PlacementRef) -> Case | None:
    """None when the label key is not a region/zone label."""
    label = ctx.catalog.kubernetes.location_labels.get(p.key)
    if label is None:
        return None
    found = readings(ctx, p)
    where = f"{p.attribute} {p.key}={p.value}"
    if not found:
        return Case(
            "SOV201",
            address,
            p.span,
            Verdict.UNKNOWN,
            f"{where}: not a {label.level} the catalog knows, so its country cannot be verified",
            None,
            region=p.value,
            reporter="SOV103",
        )
    by_country: dict[str, list[str]] = {}
    for key, info in found:
        by_country.setdefault(info.country, []).append(key)
    verdicts = {c: judge.country(c, ctx.profile, ctx.catalog) for c in by_country}
    desc = "; ".join(f"{c} ({', '.join(keys)})" for c, keys in sorted(by_country.items()))
    country = next(iter(by_country)) if len(by_country) == 1 else None
    att = None
    if len(found) == 1:
        key, info = found[0]
        entry = ctx.catalog.providers[key]
        att = ctx.attributor.make(
            key, info.operator or entry.operator, f"{p.key} on {entry.name}", info.country, p.value
        )
    if all(v is Verdict.NOT_SOVEREIGN for v in verdicts.values()):
        verdict = Verdict.NOT_SOVEREIGN
        message = f"{where} pins it to {desc}, outside {ctx.profile.name}'s countries"
    elif all(v is Verdict.SOVEREIGN for v in verdicts.values()):
        verdict, message = Verdict.SOVEREIGN, f"{where}: {desc}"
    else:
        message = (
            f"{where}: ambiguous, {desc}: which cloud's {label.level} it is, and so its "
            "country, cannot be told from the manifest"
        )
        return Case(
            "SOV201",
            address,
            p.span,
            Verdict.UNKNOWN,
            message,
            att,
            _AMBIGUOUS,
            p.value,
            country,
            reporter="SOV103",
        )
    return Case("SOV201", address, p.span, verdict, message, att, "", p.value, country)


_AMBIGUOUS = (
    "Pin the workload with a value only one cloud uses (or that cloud's own node label); once "
    "you have checked which cloud runs the cluster, suppress with that reason "
    "(`sovlint.io/ignore: SOV103 -- <cloud and region>`)."
)


def placement_cases(ctx: Context, obj: K8sObject) -> Iterator[Case]:
    for p in obj.placements:
        case = placement_case(ctx, obj.address, p)
        if case is not None:
            yield case


def check(facts: WorkloadFacts, ctx: Context) -> Iterator[Finding]:
    return refusals(RULE, facts, ctx, placement_cases)
