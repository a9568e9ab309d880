"""SOV201 workload-location-not-allowed: a workload or volume pinned to a region or zone
outside the profile's countries."""

from __future__ import annotations

from collections.abc import Iterator

from sovlint.model import Finding, Severity, Verdict, WorkloadFacts
from sovlint.rules.base import Context, RuleMeta
from sovlint.rules.kubernetes import placement_case

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


def check(facts: WorkloadFacts, ctx: Context) -> Iterator[Finding]:
    for obj in facts.k8s_objects:
        for p in obj.placements:
            case = placement_case(ctx, obj.address, p)
            if case is None or case.verdict is not Verdict.NOT_SOVEREIGN:
                continue
            yield ctx.finding(
                RULE,
                case.span,
                obj.address,
                case.message,
                case.attribution,
                case.fix,
                obj.span.line,
                region=case.region,
                country=case.country,
            )
