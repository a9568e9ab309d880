"""Every location a Terraform module pins, resolved and judged once.

SOV102 (not allowed), SOV103 (unknown to the catalog) and SOV104 (unresolved)
are three views of the same walk, so they can never disagree or double-report.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sovlint import judge
from sovlint.attribution import ProviderView
from sovlint.catalog.model import Provider, RegionInfo
from sovlint.model import Attribution, FactSet, LocationRef, Span, Verdict
from sovlint.rules.base import Context


@dataclass(frozen=True)
class LocationCase:
    address: str
    attribute: str
    value: str | None  # resolved value (None: unresolved)
    raw: str
    origin: str | None
    span: Span
    block_line: int
    status: str  # allowed | not_allowed | unknown | unresolved
    country: str | None
    attribution: Attribution | None
    detail: str
    fix: str


def _status(
    ctx: Context, entry: Provider | None, info: RegionInfo | None, operator_key: str | None
) -> tuple[str, str]:
    if info is None:
        return "unknown", ""
    verdict = judge.country(info.country, ctx.profile, ctx.catalog)
    if verdict is Verdict.NOT_SOVEREIGN:
        return "not_allowed", judge.outside_countries(info.country, ctx.profile)
    for scheme in ctx.profile.certifications:
        if not judge.region_certified(entry, info, scheme):
            return "not_allowed", f"in {info.country} but not {scheme}-qualified in the catalog"
    return "allowed", f"in {info.country}"


def _case(
    ctx: Context, address: str, loc: LocationRef, block_line: int, view: ProviderView
) -> LocationCase:
    entry = view.region_entry
    res = loc.resolved
    fix = entry.fix if entry is not None and entry.fix else ""
    if res.value is None:
        return LocationCase(
            address,
            loc.attribute,
            None,
            res.raw,
            res.origin,
            loc.span,
            block_line,
            "unresolved",
            None,
            view.attribution,
            "",
            fix,
        )
    info = entry.region(res.value, view.variant) if entry is not None else None
    operator_key = (
        info.operator if info and info.operator else None
    ) or view.attribution.operator_key
    status, detail = _status(ctx, entry, info, operator_key)
    att = ctx.attributor.make(
        entry.key if entry else None,
        operator_key,
        view.attribution.basis,
        info.country if info else None,
        res.value,
    )
    return LocationCase(
        address,
        loc.attribute,
        res.value,
        res.raw,
        res.origin,
        loc.span,
        block_line,
        status,
        info.country if info else None,
        att,
        detail,
        fix,
    )


def location_cases(facts: FactSet, ctx: Context) -> Iterator[LocationCase]:
    for pc in facts.providers:
        view = ctx.provider_view(facts, pc)
        if view.neutral or not view.known or view.entry is None:
            continue
        if view.entry.kind == "generic" and view.regions is None:
            continue  # an unknown cloud behind a generic provider: SOV106 says so, regions mean nothing
        if pc.endpoints and view.base is not None:
            for ep in pc.endpoints:
                yield _endpoint_case(ctx, pc.address, ep.attribute, ep.host, ep.span, pc.block_line)
            continue
        for loc in pc.locations:
            yield _case(ctx, pc.address, loc, pc.block_line, view)
        if not pc.locations and not pc.declared_only and view.entry.location_environment:
            env = ", ".join(view.entry.location_environment)
            yield LocationCase(
                pc.address,
                "/".join(view.entry.provider_location_attributes) or "region",
                None,
                "",
                f"not set: it comes from the environment ({env})",
                pc.span,
                pc.block_line,
                "unresolved",
                None,
                view.attribution,
                "",
                view.entry.fix,
            )
    for res in facts.resources:
        view = ctx.resource_view(facts, res)
        if view.neutral or view.entry is None:
            continue
        for loc in res.locations:
            yield _case(ctx, res.address, loc, res.span.line, view)
    for be in facts.backends:
        if be.endpoints:
            for ep in be.endpoints:
                yield _endpoint_case(ctx, be.address, ep.attribute, ep.host, ep.span, be.span.line)
            continue
        spec = ctx.catalog.backends.get(be.kind)
        entry = ctx.catalog.providers.get(spec.provider or "") if spec else None
        if entry is None:
            continue
        bview = ProviderView(None, entry, None, ctx.attributor.backend(be)[0], False)
        for loc in be.locations:
            yield _case(ctx, be.address, loc, be.span.line, bview)


def _endpoint_case(
    ctx: Context, address: str, attribute: str, host: str, span: Span, block_line: int
) -> LocationCase:
    match = ctx.catalog.match_host(host)
    if match is None:
        return LocationCase(
            address, attribute, host, host, None, span, block_line, "unknown", None, None, "", ""
        )
    entry = ctx.catalog.providers.get(match.rule.provider or "")
    info = entry.region(match.region) if entry and match.region else None
    att = ctx.attributor.make(
        match.rule.provider,
        (info.operator if info else None) or match.rule.operator,
        f"{attribute} host {host}",
        match.country,
        match.region,
    )
    if match.country is None:
        return LocationCase(
            address, attribute, host, host, None, span, block_line, "unknown", None, att, "", ""
        )
    if info is None:
        info = RegionInfo(host, match.country, None, (), match.rule.provenance)
    status, detail = _status(ctx, entry, info, att.operator_key)
    return LocationCase(
        address,
        attribute,
        host,
        host,
        None,
        span,
        block_line,
        status,
        match.country,
        att,
        detail,
        "",
    )
