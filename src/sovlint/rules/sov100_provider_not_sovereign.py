"""SOV100 provider-not-sovereign: a provider whose operator fails the profile."""

from __future__ import annotations

from collections.abc import Iterator

from sovlint import judge
from sovlint.model import Finding, Severity, TerraformFacts, Verdict
from sovlint.rules.base import Context, RuleMeta, provider_fix

RULE = RuleMeta(
    id="SOV100",
    name="provider-not-sovereign",
    title="Provider operated outside the profile's jurisdiction",
    severity=Severity.HIGH,
    rationale=(
        "Every resource configured through this provider is operated by a company that a foreign law "
        "with extraterritorial reach (US CLOUD Act, FISA 702, China's intelligence law) can compel, "
        "whatever region the data sits in."
    ),
    fix='Use a provider operated under EU jurisdiction (OVHcloud, Scaleway, Outscale, IONOS, STACKIT, Hetzner ...), or S3NS through `universe_domain = "s3nsapis.fr"` for the google provider.',
    reads=("providers",),
)


def check(facts: TerraformFacts, ctx: Context) -> Iterator[Finding]:
    for pc in facts.providers:
        view = ctx.provider_view(facts, pc)
        if view.neutral or not view.known:
            continue
        verdict = judge.operator(view.attribution, ctx.profile, ctx.catalog, view.variant)
        if verdict.verdict is not Verdict.NOT_SOVEREIGN:
            continue
        label = pc.source or pc.local_name
        yield ctx.finding(
            RULE,
            pc.span,
            pc.address,
            f"provider {pc.local_name} ({label}) is {verdict.reason} [{view.attribution.basis}]",
            view.attribution,
            verdict.fix or provider_fix(view, RULE.fix),
            pc.block_line,
        )
