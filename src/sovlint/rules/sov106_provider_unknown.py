"""SOV106 provider-unknown: a provider the catalog does not know."""

from __future__ import annotations

from collections.abc import Iterator

from sovlint.attribution import ProviderView
from sovlint.model import Finding, Severity, TerraformFacts
from sovlint.rules.base import Context, RuleMeta

RULE = RuleMeta(
    id="SOV106",
    name="provider-unknown",
    title="Provider not in the catalog",
    severity=Severity.MEDIUM,
    rationale=(
        "sovlint cannot tell who operates a provider it does not know, so its jurisdiction cannot be "
        "verified. Unknown is reported as unknown, never assumed sovereign."
    ),
    fix="Add the provider (source address, operator, regions, with sources) to a catalog override (`--catalog`) and propose it upstream.",
    reads=("providers", "resources"),
)


GENERIC_FIX = (
    "Write the endpoint as a literal or a variable with a value (`host`, `auth_url`, `address`), "
    "or read it from the cluster resource (`data.aws_eks_cluster.x.endpoint`, "
    "`azurerm_kubernetes_cluster.x.kube_config[0].host`); a host the catalog does not know goes "
    "into a catalog override (`--catalog`)."
)


SELF_HOSTED_FIX = (
    "Add the instance's host to a catalog override (`--catalog`): a `hosts:` entry with its "
    "operator and country and a source (your hosting contract); until then who runs it is "
    "unknown, never assumed to be the SaaS vendor."
)


def _generic_unknown(view: ProviderView) -> bool:
    return view.by_endpoint and view.attribution.operator_key is None


def check(facts: TerraformFacts, ctx: Context) -> Iterator[Finding]:
    reported: set[str] = set()
    for pc in facts.providers:
        view = ctx.provider_view(facts, pc)
        if view.known and view.by_endpoint:
            if _generic_unknown(view):
                what = "self-hosted provider" if view.self_hosted else "generic provider"
                yield ctx.finding(
                    RULE,
                    pc.span,
                    pc.address,
                    f"{what} {pc.local_name}: {view.attribution.basis}, so who runs it "
                    "cannot be verified",
                    view.attribution,
                    SELF_HOSTED_FIX if view.self_hosted else GENERIC_FIX,
                    block_line=pc.block_line,
                )
            continue
        if view.known:
            continue
        reported.add(pc.local_name)
        yield ctx.finding(
            RULE,
            pc.span,
            pc.address,
            f"provider {pc.local_name} ({pc.source or 'hashicorp/' + pc.local_name + ', implied'}) is not in the catalog: its operator and jurisdiction cannot be verified",
            view.attribution,
            block_line=pc.block_line,
        )
    for res in facts.resources:
        if res.provider_local_name in reported:
            continue
        view = ctx.resource_view(facts, res)
        if view.config is None and _generic_unknown(view):
            reported.add(res.provider_local_name)
            yield ctx.finding(
                RULE,
                res.span,
                res.address,
                f"generic provider {res.provider_local_name} (used by {res.address}) has no "
                f"configuration: {view.attribution.basis}, so who runs it cannot be verified",
                view.attribution,
                GENERIC_FIX,
            )
            continue
        if view.known:
            continue
        reported.add(res.provider_local_name)
        yield ctx.finding(
            RULE,
            res.span,
            res.address,
            f"provider {res.provider_local_name} (used by {res.address}) is not in the catalog: its operator and jurisdiction cannot be verified",
            view.attribution,
        )
