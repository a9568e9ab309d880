"""The sovereignty bill of materials: every provider, resource, data source and backend with its verdict."""

from __future__ import annotations

from collections.abc import Iterator

from sovlint import judge
from sovlint.model import Attribution, FactSet, InventoryItem, Verdict
from sovlint.rules.base import Context


def overall(att: Attribution, ctx: Context, variant: str | None = None) -> Verdict:
    """Operator and location together: not_sovereign if either fails, unknown if either is unknown."""
    operator = judge.operator(att, ctx.profile, ctx.catalog, variant).verdict
    place = judge.country(att.country, ctx.profile, ctx.catalog)
    if Verdict.NOT_SOVEREIGN in (operator, place):
        return Verdict.NOT_SOVEREIGN
    if Verdict.UNKNOWN in (operator, place):
        return Verdict.UNKNOWN
    return Verdict.SOVEREIGN


def _item(
    kind: str, address: str, file: str, line: int, att: Attribution, verdict: Verdict
) -> InventoryItem:
    return InventoryItem(
        kind,
        address,
        file,
        line,
        att.provider_key,
        att.operator,
        att.jurisdiction,
        att.region,
        att.country,
        verdict,
    )


def inventory(facts: FactSet, ctx: Context) -> Iterator[InventoryItem]:
    for pc in facts.providers:
        view = ctx.provider_view(facts, pc)
        verdict = (
            Verdict.SOVEREIGN if view.neutral else overall(view.attribution, ctx, view.variant)
        )
        yield _item("provider", pc.address, pc.span.file, pc.span.line, view.attribution, verdict)
    for res in facts.resources:
        view = ctx.resource_view(facts, res)
        att = ctx.attributor.resource(res, view) if view.known else view.attribution
        entry = view.region_entry
        for loc in res.locations:  # a resource's own location overrides its provider's
            if loc.resolved.value and entry is not None:
                info = entry.region(loc.resolved.value, view.variant)
                att = ctx.attributor.make(
                    att.provider_key,
                    (info.operator if info and info.operator else None) or att.operator_key,
                    att.basis,
                    info.country if info else None,
                    loc.resolved.value,
                )
        verdict = Verdict.SOVEREIGN if view.neutral else overall(att, ctx, view.variant)
        kind = "data" if res.mode == "data" else "resource"
        yield _item(kind, res.address, res.span.file, res.span.line, att, verdict)
    for be in facts.backends:
        att, neutral = ctx.attributor.backend(be)
        verdict = Verdict.SOVEREIGN if neutral else overall(att, ctx)
        yield _item("backend", be.address, be.span.file, be.span.line, att, verdict)
