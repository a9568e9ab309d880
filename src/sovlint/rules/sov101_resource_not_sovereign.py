"""SOV101 resource-not-sovereign: a resource or data source managed through a non-sovereign operator."""

from __future__ import annotations

from collections.abc import Iterator

from sovlint import judge
from sovlint.model import Finding, Severity, TerraformFacts, Verdict
from sovlint.rules.base import Context, RuleMeta, provider_fix

RULE = RuleMeta(
    id="SOV101",
    name="resource-not-sovereign",
    title="Resource operated outside the profile's jurisdiction",
    severity=Severity.HIGH,
    rationale=(
        "The resource is created in, or data is read from, a service whose operator is reached by a "
        "foreign extraterritorial law. Endpoint overrides are honoured: an aws_s3_bucket whose provider "
        "points `endpoints.s3` at a European S3-compatible host is judged by that host's operator. "
        "Under a profile that requires a qualification (secnumcloud), the resource type must be "
        "inside one of the operator's qualified offers: OVH Public Cloud is not OVHcloud Hosted "
        "Private Cloud SecNumCloud."
    ),
    fix="Move the resource to a provider operated under EU jurisdiction, or point the service endpoint at a sovereign S3-compatible host.",
    reads=("resources",),
)


def check(facts: TerraformFacts, ctx: Context) -> Iterator[Finding]:
    for res in facts.resources:
        view = ctx.resource_view(facts, res)
        if view.neutral or not view.known:
            continue
        att = ctx.attributor.resource(res, view)
        verdict = judge.operator(att, ctx.profile, ctx.catalog, view.variant, res.type)
        if verdict.verdict is not Verdict.NOT_SOVEREIGN:
            continue
        kind = "data source" if res.mode == "data" else "resource"
        yield ctx.finding(
            RULE,
            res.span,
            res.address,
            f"{kind} {res.address} is {verdict.reason} [{att.basis}]",
            att,
            verdict.fix or provider_fix(view, RULE.fix),
        )
