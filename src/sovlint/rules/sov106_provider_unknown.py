"""SOV106 provider-unknown: a provider the catalog does not know."""

from __future__ import annotations

from collections.abc import Iterator

from sovlint.model import FactSet, Finding, Severity
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
)


def check(facts: FactSet, ctx: Context) -> Iterator[Finding]:
    reported: set[str] = set()
    for pc in facts.providers:
        view = ctx.provider_view(facts, pc)
        if (
            view.known
            and view.entry is not None
            and view.entry.kind == "generic"
            and not view.neutral
        ):
            if view.attribution.operator_key is None:
                yield ctx.finding(
                    RULE,
                    pc.span,
                    pc.address,
                    f"generic provider {pc.local_name}: {view.attribution.basis}, so its operator cannot be verified",
                    view.attribution,
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
