"""SOV105 state-backend-not-sovereign: Terraform state stored with a non-sovereign operator or country."""

from __future__ import annotations

from collections.abc import Iterator

from sovlint import judge
from sovlint.model import Finding, Severity, TerraformFacts, Verdict
from sovlint.rules.base import Context, RuleMeta

RULE = RuleMeta(
    id="SOV105",
    name="state-backend-not-sovereign",
    title="Terraform state stored outside the profile",
    severity=Severity.HIGH,
    rationale=(
        "Terraform state holds every attribute of every resource, secrets included. State in HCP "
        "Terraform or a US bucket hands the whole estate's description to a foreign operator."
    ),
    fix='Store state in a sovereign S3-compatible bucket (backend "s3" with endpoints.s3 at OVHcloud, Scaleway, Outscale OOS, IONOS, STACKIT ...) or a self-hosted backend (pg, http, kubernetes) in an allowed country.',
    reads=("backends",),
)


def check(facts: TerraformFacts, ctx: Context) -> Iterator[Finding]:
    for be in facts.backends:
        att, neutral = ctx.attributor.backend(be)
        if neutral:
            continue
        verdict = judge.destination(att, ctx.profile, ctx.catalog, "state storage")
        if verdict.verdict is not Verdict.NOT_SOVEREIGN:
            continue
        reason = verdict.reason
        yield ctx.finding(
            RULE,
            be.span,
            be.address,
            f"state backend {be.label} is {reason} [{att.basis}]",
            att,
            verdict.fix,  # the qualified offer that would do, when the reason names one
        )
