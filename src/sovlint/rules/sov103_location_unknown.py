"""SOV103 location-unknown: a location value the catalog does not know for that provider."""

from __future__ import annotations

from collections.abc import Iterator

from sovlint.model import FactSet, Finding, Severity
from sovlint.rules.base import Context, RuleMeta
from sovlint.rules.k8s_case import unknowns
from sovlint.rules.locations import location_cases

RULE = RuleMeta(
    id="SOV103",
    name="location-unknown",
    title="Location not in the catalog",
    severity=Severity.MEDIUM,
    rationale=(
        "Region names are per provider (eu-west-2 is London on AWS and Paris on Outscale); sovlint "
        "never guesses a country from a name. An unknown value may be a typo, a new region, or a host "
        "the catalog lacks, and its country cannot be verified. In Kubernetes and Compose files: "
        "an image registry or GitOps host the catalog does not know, or one whose operator "
        "publishes no storage country (Docker Hub, quay.io, ghcr.io under residency-eu), a "
        "region or zone label value, or the region of a Crossplane / ACK / Config Connector "
        "resource, that the catalog does not know: the object stays unknown in the inventory "
        "and this finding says why."
    ),
    fix="Check the spelling; if the region or host is real, add it with its source to a catalog override (`--catalog`) and propose it upstream.",
    frameworks=("terraform", "kubernetes", "compose"),
    reads=("providers", "resources", "backends", "k8s_objects"),
)


def check(facts: FactSet, ctx: Context) -> Iterator[Finding]:
    yield from unknowns(RULE, facts, ctx)  # Kubernetes and Compose objects
    for case in location_cases(facts, ctx):
        if case.status != "unknown":
            continue
        provider = (
            case.attribution.provider_key
            if case.attribution and case.attribution.provider_key
            else "this provider"
        )
        yield ctx.finding(
            RULE,
            case.span,
            case.address,
            f"{case.attribute} {case.value!r} is not a location the catalog knows for {provider}: its country cannot be verified",
            case.attribution,
            RULE.fix,
            case.block_line,
            region=case.value,
        )
