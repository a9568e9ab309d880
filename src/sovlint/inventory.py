"""The sovereignty bill of materials: every provider, resource, data source, backend and
Kubernetes object (or unrendered chart) with its verdict."""

from __future__ import annotations

from collections.abc import Iterator

from sovlint import judge
from sovlint.attribution import ProviderView
from sovlint.model import Attribution, FactSet, InventoryItem, ProviderConfig, Resource, Verdict
from sovlint.rules.base import Context


def overall(
    att: Attribution, ctx: Context, variant: str | None = None, rtype: str | None = None
) -> Verdict:
    """Operator and location together: not_sovereign if either fails, unknown if either is
    unknown. A resource's type is judged against the profile's qualified offers (SOV101)."""
    operator = judge.operator(att, ctx.profile, ctx.catalog, variant, rtype).verdict
    place = judge.country(att.country, ctx.profile, ctx.catalog)
    if Verdict.NOT_SOVEREIGN in (operator, place):
        return Verdict.NOT_SOVEREIGN
    if Verdict.UNKNOWN in (operator, place):
        return Verdict.UNKNOWN
    return Verdict.SOVEREIGN


def _item(
    kind: str,
    address: str,
    file: str,
    line: int,
    att: Attribution,
    verdict: Verdict,
    links: tuple[tuple[str, str], ...] = (),
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
        links,
    )


def _places(pc: ProviderConfig, view: ProviderView) -> bool:
    """Does this configuration carry a location (written, from the environment, or a host)?"""
    if pc.locations or pc.endpoints or view.regions is not None:
        return True
    if view.by_endpoint:
        return True  # the cluster or cloud behind it is somewhere: unknown until its host says
    return view.entry is not None and bool(view.entry.location_environment)


_RANK = {Verdict.SOVEREIGN: 0, Verdict.UNKNOWN: 1, Verdict.NOT_SOVEREIGN: 2}


def _worst_location(
    ctx: Context, res: Resource, view: ProviderView, base: Attribution
) -> tuple[Attribution, Verdict]:
    """A resource's own locations override its provider's; with several (replicas, geo
    locations), the worst one is the resource's verdict. An unresolved one is unknown."""
    from sovlint.rules.locations import region_of

    if not res.locations:
        return base, overall(base, ctx, view.variant, res.type)
    judged = []
    for loc in res.locations:
        _, info = region_of(ctx, loc, view)
        operator_key = info.operator if info and info.operator and not loc.regions else None
        att = ctx.attributor.make(
            base.provider_key,
            operator_key or base.operator_key,
            base.basis,
            info.country if info else None,
            loc.resolved.value,
        )
        judged.append((att, overall(att, ctx, view.variant, res.type)))
    return max(judged, key=lambda pair: _RANK[pair[1]])


def inventory(
    facts: FactSet, ctx: Context, framework: str = "terraform"
) -> Iterator[InventoryItem]:
    """Every fact with its verdict; a workload object's kind is its frontend's name."""
    for pc in facts.providers:
        view = ctx.provider_view(facts, pc)
        if view.neutral:
            verdict = Verdict.NEUTRAL
        elif _places(pc, view):
            verdict = overall(view.attribution, ctx, view.variant)
        else:  # no location of its own: its resources' locations are judged where written
            verdict = judge.operator(
                view.attribution, ctx.profile, ctx.catalog, view.variant
            ).verdict
        yield _item("provider", pc.address, pc.span.file, pc.span.line, view.attribution, verdict)
    for res in facts.resources:
        view = ctx.resource_view(facts, res)
        base = ctx.attributor.resource(res, view) if view.known else view.attribution
        att, verdict = base, Verdict.NEUTRAL
        if not view.neutral:
            att, verdict = _worst_location(ctx, res, view, base)
        kind = "data" if res.mode == "data" else "resource"
        anchor = ctx.provider_anchor(facts, res)
        links = (anchor,) if anchor != (res.span.file, res.address) else ()
        yield _item(kind, res.address, res.span.file, res.span.line, att, verdict, links)
    for be in facts.backends:
        att, neutral = ctx.attributor.backend(be)
        verdict = Verdict.NEUTRAL if neutral else overall(att, ctx)
        # a backend completed by a -backend-config file is reported there and at its block
        block = ((be.block.file, be.address),) if be.block and be.block.file != be.span.file else ()
        yield _item("backend", be.address, be.span.file, be.span.line, att, verdict, block)
    if facts.k8s_objects or facts.k8s_charts:
        from sovlint.workload_inventory import chart_item, inventory_item

        for obj in facts.k8s_objects:
            yield inventory_item(ctx, facts, obj, framework)
        for chart in facts.k8s_charts:
            if not chart.rendered:
                yield chart_item(chart)
