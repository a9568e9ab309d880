"""SOV102 location-not-allowed: a region/location/zone in a country outside the profile."""

from __future__ import annotations

from collections.abc import Iterator

from sovlint.model import Finding, Severity, TerraformFacts
from sovlint.rules.base import Context, RuleMeta
from sovlint.rules.locations import location_cases

RULE = RuleMeta(
    id="SOV102",
    name="location-not-allowed",
    title="Location outside the profile's countries",
    severity=Severity.HIGH,
    rationale=(
        "Data at rest and processing follow the region. A region outside the profile's countries "
        "(or, for SecNumCloud, a region that is not qualified) breaks residency even with a European operator."
    ),
    fix="Pick a region in an allowed country (for example OVHcloud GRA/SBG/RBX, Scaleway fr-par/nl-ams/pl-waw, Outscale eu-west-2 or cloudgouv-eu-west-1 for SecNumCloud).",
    reads=("providers", "resources", "backends"),
)


def check(facts: TerraformFacts, ctx: Context) -> Iterator[Finding]:
    for case in location_cases(facts, ctx):
        if case.status != "not_allowed":
            continue
        origin = f" (from {case.origin})" if case.origin else ""
        yield ctx.finding(
            RULE,
            case.span,
            case.address,
            f"{case.attribute} {case.value!r}{origin} is {case.detail}",
            case.attribution,
            case.fix or RULE.fix,
            case.block_line,
            region=case.value,
            country=case.country,
        )
