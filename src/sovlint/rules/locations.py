"""Every location a Terraform module pins, resolved and judged once.

SOV102 (not allowed), SOV103 (unknown to the catalog) and SOV104 (unresolved)
are three views of the same walk, so they can never disagree or double-report.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from sovlint import judge
from sovlint.attribution import ProviderView
from sovlint.catalog.model import Provider, RegionInfo
from sovlint.model import (
    Attribution,
    Backend,
    LocationRef,
    ProviderConfig,
    Span,
    TerraformFacts,
    Verdict,
)
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
    ctx: Context,
    entry: Provider | None,
    info: RegionInfo | None,
    operator_key: str | None,
    variant: str | None = None,
) -> tuple[str, str]:
    if info is None:
        return "unknown", ""
    return region_status(ctx, entry, info, operator_key, variant)


def region_status(
    ctx: Context,
    entry: Provider | None,
    info: RegionInfo,
    operator_key: str | None = None,
    variant: str | None = None,
) -> tuple[str, str]:
    """(allowed | not_allowed, why) of a known region (judge.region_status). Shared with
    Kubernetes-declared cloud resources (SOV204)."""
    return judge.region_status(ctx.catalog, ctx.profile, entry, info, operator_key, variant)


def region_of(
    ctx: Context, loc: LocationRef, view: ProviderView
) -> tuple[Provider | None, RegionInfo | None]:
    """The region table a location is judged by (a declared one, else the provider's) and
    what it says about the value (None: unresolved or unknown)."""
    if loc.regions:
        entry = ctx.catalog.providers.get(loc.regions)
        variant = None
    else:
        entry, variant = view.region_entry, view.variant
    value = loc.resolved.value
    info = entry.region(value, variant) if entry is not None and value else None
    return entry, info


def _case(
    ctx: Context, address: str, loc: LocationRef, block_line: int, view: ProviderView
) -> LocationCase:
    entry, info = region_of(ctx, loc, view)
    res = loc.resolved
    owner = view.region_entry if loc.regions else entry
    fix = owner.fix if owner is not None and owner.fix else ""
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
    operator_key = (
        info.operator if info and info.operator and not loc.regions else None
    ) or view.attribution.operator_key
    status, detail = _status(ctx, entry, info, operator_key, None if loc.regions else view.variant)
    att = ctx.attributor.make(
        owner.key if owner else None,
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


def location_cases(facts: TerraformFacts, ctx: Context) -> list[LocationCase]:
    """The location cases of these facts, computed once for SOV102, SOV103 and SOV104 (each
    reports the cases of one status)."""
    return ctx.per_facts(facts, "location_cases", lambda: list(_location_cases(facts, ctx)))


def _location_cases(facts: TerraformFacts, ctx: Context) -> Iterator[LocationCase]:
    for pc in facts.providers:
        view = ctx.provider_view(facts, pc)
        if view.neutral or not view.known or view.entry is None:
            continue
        if view.endpoint is not None and view.attribution.country is not None and not pc.locations:
            # the endpoint host names the place (an RDS or EKS host in its region): judge it
            attr, host = view.endpoint
            yield _endpoint_case(ctx, pc.address, attr, host, pc.span, pc.block_line)
            continue
        if view.by_endpoint and view.attribution.country is None and not pc.locations:
            # an unknown operator is SOV106's; a known one somewhere unknown is reported here
            if view.attribution.operator_key is not None and _operator_passes(ctx, view):
                yield _generic_place_case(pc, view)
            continue
        if view.by_endpoint and view.regions is None:
            continue  # an unknown cloud behind a generic provider: regions mean nothing
        if pc.endpoints and view.base is not None:
            for ep in pc.endpoints:
                yield _endpoint_case(ctx, pc.address, ep.attribute, ep.host, ep.span, pc.block_line)
            if not _uncovered(facts, ctx, pc):
                continue
            # other services still go to the provider's own cloud, in its own region
            view = replace(view, attribution=view.base, base=None)
        yield from _worst_per_attribute(
            _case(ctx, pc.address, loc, pc.block_line, view) for loc in pc.locations
        )
        if not pc.locations:
            # `required_providers` only is an empty configuration, as Terraform reads it
            yield from _environment_case(pc.address, pc.span, pc.block_line, view)
    placed = placed_anchors(facts, ctx)
    unplaced: dict[tuple[str, str], list[str]] = {}
    for res in facts.resources:
        view = ctx.resource_view(facts, res)
        if view.neutral or view.entry is None:
            continue
        anchor = ctx.provider_anchor(facts, res)
        if view.config is None and anchor == (res.span.file, res.address):
            # no provider block anywhere: the same empty configuration as `provider "x" {}`
            yield from _environment_case(res.address, res.span, res.span.line, view)
        yield from _worst_per_attribute(
            _case(ctx, res.address, loc, res.span.line, view) for loc in res.locations
        )
        judged_cloud = not view.by_endpoint or view.regions is not None
        unplaced_here = not res.locations and view.attribution.country is None
        if unplaced_here and anchor not in placed and judged_cloud and _operator_passes(ctx, view):
            unplaced.setdefault(anchor, []).append(res.address)
    for (file, address), addresses in unplaced.items():
        yield _unplaced_case(facts, ctx, file, address, addresses)
    for be in facts.backends:
        yield from _backend_cases(ctx, be)


def _backend_cases(ctx: Context, be: Backend) -> Iterator[LocationCase]:
    """A backend's endpoints, else its locations, else why nothing says where state goes."""
    if be.endpoints:
        for ep in be.endpoints:
            line = _backend_line(be, ep.span)
            case = _endpoint_case(ctx, be.address, ep.attribute, ep.host, ep.span, line)
            refused = case.attribution is not None and (
                judge.operator(case.attribution, ctx.profile, ctx.catalog).verdict
                is Verdict.NOT_SOVEREIGN
            )
            if case.status == "unknown" and case.country is None and refused:
                continue  # a refused operator (SOV105) somewhere unknown: where changes nothing
            yield case
        return
    spec = ctx.catalog.backends.get(be.kind)
    att = ctx.attributor.backend(be)[0]
    if spec is not None and not be.settings and att.operator_key is None:
        names = (*spec.location_attributes, *spec.endpoint_attributes, *spec.host_attributes)
        yield _unwritten_backend_case(be, att, names)
        return
    entry = ctx.catalog.providers.get(spec.provider or "") if spec else None
    if entry is None:
        return
    bview = ProviderView(None, entry, None, att, False)
    yield from _worst_per_attribute(
        _case(ctx, be.address, loc, _backend_line(be, loc.span), bview) for loc in be.locations
    )


def _backend_line(be: Backend, span: Span) -> int:
    """The block line of a backend setting: the `-backend-config` file's line when the
    setting is written there, else the backend block's."""
    if be.block is not None and span.file != be.span.file:
        return be.block.line
    return be.span.line


def _unwritten_backend_case(be: Backend, att: Attribution, names: tuple[str, ...]) -> LocationCase:
    """`backend "s3" {}` completed at `terraform init`: who keeps the state is not written;
    `names`: the settings that would say it."""
    if be.config_file is None:
        what = (
            "the backend is completed at init (-backend-config) and no `*.tfbackend` file "
            "in this module gives its settings"
        )
        where = "in the block or in a NAME.tfbackend file"
    else:
        what = (
            f"neither the backend block nor the -backend-config file {be.config_file} sets anything"
        )
        where = f"in {be.config_file}"
    settings = f" ({', '.join(names)} ...)" if names else ""
    return LocationCase(
        be.address,
        "configuration",
        None,
        "",
        f"not written: {what}, so who stores the state and where is unknown; write its "
        f"settings{settings} {where}",
        be.span,
        be.span.line,
        "unresolved",
        None,
        att,
        "",
        "",
    )


_RANK = {"not_allowed": 3, "unknown": 2, "unresolved": 1, "allowed": 0}


def _worst_per_attribute(cases: Iterator[LocationCase]) -> Iterator[LocationCase]:
    """A location with several possible values (one per branch of a conditional or a
    lookup on an unknown key) is every branch judged; the worst is reported, with the
    branch that produces it."""
    worst: dict[tuple[str, Span], LocationCase] = {}
    for case in cases:
        key = (case.attribute, case.span)
        if key not in worst or _RANK[case.status] > _RANK[worst[key].status]:
            worst[key] = case
    yield from worst.values()


def _generic_place_case(pc: ProviderConfig, view: ProviderView) -> LocationCase:
    """Who runs the endpoint of a generic or self-hosted provider is known (an EKS data
    source, a host of a known operator), where it runs is not."""
    if view.regions is not None:
        how = "write the cluster's endpoint host (it names its region) or scan the plan JSON"
    else:
        how = (
            "the host names no country; if you know where it is, say so in a catalog "
            "override (`hosts:` with its country and a source)"
        )
    return LocationCase(
        pc.address,
        "location",
        None,
        "",
        f"not known: {view.attribution.basis}; {how}",
        pc.span,
        pc.block_line,
        "unresolved",
        None,
        view.attribution,
        "",
        view.regions.fix if view.regions is not None else "",
    )


def _operator_passes(ctx: Context, view: ProviderView) -> bool:
    """A refused operator already fails the item: where it sits would change nothing."""
    verdict = judge.operator(view.attribution, ctx.profile, ctx.catalog, view.variant).verdict
    return verdict is not Verdict.NOT_SOVEREIGN


def _uncovered(facts: TerraformFacts, ctx: Context, pc: ProviderConfig) -> bool:
    """Does some resource use this configuration for a service its endpoints do not redirect?"""
    for res in facts.resources:
        view = ctx.resource_view(facts, res)
        if view.config is pc and ctx.attributor.covering_endpoint(res, view) is None:
            return True
    return False


def _environment_case(
    address: str, span: Span, block_line: int, view: ProviderView
) -> Iterator[LocationCase]:
    entry = view.entry
    if entry is None or not entry.location_environment:
        return
    env = ", ".join(entry.location_environment)
    yield LocationCase(
        address,
        "/".join(entry.provider_location_attributes) or "region",
        None,
        "",
        f"not set: it comes from the environment ({env})",
        span,
        block_line,
        "unresolved",
        None,
        view.attribution,
        "",
        entry.fix,
    )


def placed_anchors(facts: TerraformFacts, ctx: Context) -> set[tuple[str, str]]:
    """Provider configurations (or implied providers) that already say where they are, or
    why not: a written location, an environment fallback, endpoint overrides."""
    out: set[tuple[str, str]] = set()
    for res in facts.resources:
        view = ctx.resource_view(facts, res)
        pc = view.config
        entry = view.entry
        if entry is None:
            continue
        written = pc is not None and bool(pc.locations or pc.endpoints)
        if written or entry.location_environment:
            out.add(ctx.provider_anchor(facts, res))
    return out


def _unplaced_case(
    facts: TerraformFacts, ctx: Context, file: str, address: str, addresses: list[str]
) -> LocationCase:
    """Resources with no location of their own whose provider gives none: one case at the
    provider (or implied provider's first resource), naming them."""
    pc = next((p for p in facts.providers if (p.span.file, p.address) == (file, address)), None)
    if pc is None:
        pc = next(
            (
                p
                for p in facts.inherited_providers.values()
                if (p.span.file, p.address) == (file, address)
            ),
            None,
        )
    res = next((r for r in facts.resources if (r.span.file, r.address) == (file, address)), None)
    span = pc.span if pc is not None else res.span if res is not None else Span(file, 1)
    block_line = pc.block_line if pc is not None else span.line
    shown = ", ".join(addresses[:3]) + (
        f" and {len(addresses) - 3} more" if len(addresses) > 3 else ""
    )
    view = ctx.resource_view(facts, next(r for r in facts.resources if r.address == addresses[0]))
    attrs = "/".join(view.entry.resource_location_attributes) if view.entry else ""
    one = len(addresses) == 1
    how = (
        f"set {attrs} on {'it' if one else 'them'}"
        if attrs
        else "set its location"
        if one
        else "set their location"
    )
    nobody = (
        "neither the resource nor its provider configuration sets one"
        if one
        else "neither these resources nor their provider configuration set one"
    )
    return LocationCase(
        address,
        "location",
        None,
        "",
        f"unknown for {shown}: {nobody}, so the country cannot be verified "
        f"({how}, or scan the plan JSON; a resource nested in another one is where that one is)",
        span,
        block_line,
        "unresolved",
        None,
        view.attribution,
        "",
        view.entry.fix if view.entry else "",
    )


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
