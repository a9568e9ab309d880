"""policies/providers/*.yaml (and the `providers:` list of an override file)."""

from __future__ import annotations

import re
from typing import Any

from sovlint.catalog.model import Operator, Provider, RegionGroup, Variant, normalize_source
from sovlint.catalog.shape import _PROV_KEYS, _certs, _compile, _country, _Ctx, _location

PROVIDER_KINDS = ("cloud", "saas", "utility", "generic")


_PROVIDER_KEYS = {
    "key",
    "name",
    "kind",
    "sources",
    "prefixes",
    "operator",
    "location",
    "endpoints",
    "variants",
    "regions",
    "certifications",
    "fix",
    "classify_by",
    "self_hosted_by",
    *_PROV_KEYS,
}


def _load_provider(
    ctx: _Ctx,
    node: Any,
    countries: dict[str, str],
    operators: dict[str, Operator],
    file_stem: str | None,
    new_groups: dict[str, frozenset[str]],
) -> Provider:
    node = ctx.mapping(node, "a provider entry")
    ctx.keys(
        node,
        _PROVIDER_KEYS,
        {"key", "name", "kind", "sources", "prefixes", "source", "as_of"},
        "provider",
    )
    prov = ctx.provenance(node)
    kind = ctx.string(node, "kind")
    if kind not in PROVIDER_KINDS:
        raise ctx.err(node, f"kind must be one of {', '.join(PROVIDER_KINDS)}", "kind")
    operator = node.get("operator")
    if kind in ("cloud", "saas") and operator is None:
        raise ctx.err(node, f"a {kind} provider needs an operator")
    if operator is not None and operator not in operators:
        raise ctx.err(node, f"unknown operator {operator!r} (see operators.yaml)", "operator")
    sources = tuple(normalize_source(s) for s in ctx.strings(node, "sources"))
    for s in sources:
        if s.count("/") != 1:
            raise ctx.err(
                node,
                f"source {s!r} must be NAMESPACE/TYPE (optionally HOST/NAMESPACE/TYPE)",
                "sources",
            )
    provider = Provider(
        key=ctx.string(node, "key"),
        name=ctx.string(node, "name"),
        kind=kind,
        sources=sources,
        prefixes=ctx.strings(node, "prefixes"),
        operator=operator,
        provenance=prov,
        fix=ctx.string(node, "fix", required=False),
        classify_by=ctx.strings(node, "classify_by"),
        self_hosted_by=ctx.strings(node, "self_hosted_by"),
    )
    if provider.self_hosted_by and kind != "saas":
        raise ctx.err(
            node,
            "self_hosted_by is for saas providers (a generic provider names classify_by)",
            "self_hosted_by",
        )
    if "location" in node:
        loc = ctx.mapping(node["location"], "location", node, "location")
        ctx.keys(
            loc,
            {
                "provider_attributes",
                "resource_attributes",
                "environment",
                "normalize",
                "zone_patterns",
            },
            set(),
            "location",
        )
        provider.provider_location_attributes = ctx.strings(loc, "provider_attributes")
        provider.resource_location_attributes = ctx.strings(loc, "resource_attributes")
        provider.location_environment = ctx.strings(loc, "environment")
        provider.normalize = ctx.string(loc, "normalize", required=False) or "none"
        if provider.normalize not in ("none", "lower", "azure"):
            raise ctx.err(loc, "normalize must be none, lower or azure", "normalize")
        pats = []
        for p in ctx.strings(loc, "zone_patterns"):
            rx = _compile(ctx, loc, "zone_patterns", p)
            if "region" not in rx.groupindex:
                raise ctx.err(
                    loc, f"zone pattern {p!r} needs a (?P<region>...) group", "zone_patterns"
                )
            pats.append(rx)
        provider.zone_patterns = tuple(pats)
    if "endpoints" in node:
        ep = ctx.mapping(node["endpoints"], "endpoints", node, "endpoints")
        ctx.keys(ep, {"blocks"}, {"blocks"}, "endpoints")
        provider.endpoint_blocks = ctx.strings(ep, "blocks")
    variants = []
    for vnode in node.get("variants", []) or []:
        vnode = ctx.mapping(vnode, "a variant", node, "variants")
        ctx.keys(
            vnode,
            {"key", "attribute", "equals", "suffixes", "operator", *_PROV_KEYS},
            {"key", "attribute", "operator"},
            "variant",
        )
        if "equals" not in vnode and "suffixes" not in vnode:
            raise ctx.err(vnode, "a variant needs equals (values) or suffixes (host suffixes)")
        vop = ctx.string(vnode, "operator")
        if vop not in operators:
            raise ctx.err(vnode, f"unknown operator {vop!r}", "operator")
        variants.append(
            Variant(
                ctx.string(vnode, "key"),
                ctx.string(vnode, "attribute"),
                ctx.strings(vnode, "equals"),
                vop,
                ctx.provenance(vnode, prov),
                tuple(s.lower().lstrip(".") for s in ctx.strings(vnode, "suffixes")),
            )
        )
    provider.variants = tuple(variants)
    variant_keys = {v.key for v in variants}
    groups = []
    seen: dict[tuple[str | None, str], int] = {}
    for gnode in node.get("regions", []) or []:
        gnode = ctx.mapping(gnode, "a region group", node, "regions")
        ctx.keys(
            gnode,
            {
                "countries",
                "patterns",
                "variant",
                "operator",
                "certifications",
                "note",
                "listed_by",
                *_PROV_KEYS,
            },
            {"source", "as_of"},
            "region group",
        )
        gprov = ctx.provenance(gnode)
        variant = gnode.get("variant")
        if variant is not None and variant not in variant_keys:
            raise ctx.err(gnode, f"unknown variant {variant!r}", "variant")
        gop = gnode.get("operator")
        if gop is not None and gop not in operators:
            raise ctx.err(gnode, f"unknown operator {gop!r}", "operator")
        cmap: dict[str, str] = {}
        craw = gnode.get("countries", {}) or {}
        craw = ctx.mapping(craw, "countries", gnode, "countries")
        for region, country in craw.items():
            norm = provider.normalize_region(str(region))
            cmap[norm] = _location(ctx, countries, craw, region, country, new_groups)
            k = (variant, norm)
            if k in seen:
                raise ctx.err(
                    craw, f"region {region!r} is listed twice (first at line {seen[k]})", region
                )
            seen[k] = craw.line_of(region)
        region_pats: list[tuple[re.Pattern[str], str]] = []
        for pnode in gnode.get("patterns", []) or []:
            pnode = ctx.mapping(pnode, "a region pattern", gnode, "patterns")
            ctx.keys(pnode, {"regex", "country"}, {"regex", "country"}, "region pattern")
            region_pats.append(
                (
                    _compile(ctx, pnode, "regex", ctx.string(pnode, "regex")),
                    _country(ctx, countries, pnode, "country", pnode["country"]),
                )
            )
        if not cmap and not region_pats:
            raise ctx.err(gnode, "a region group needs countries or patterns")
        listed_by = ctx.strings(gnode, "listed_by")
        if listed_by and region_pats:
            raise ctx.err(
                gnode, "listed_by needs every region written out in countries", "listed_by"
            )
        groups.append(
            RegionGroup(
                cmap,
                tuple(region_pats),
                gprov,
                variant,
                gop,
                _certs(ctx, gnode, "certifications", gprov),
                ctx.string(gnode, "note", required=False),
                listed_by,
            )
        )
    provider.region_groups = tuple(groups)
    provider.certifications = _certs(ctx, node, "certifications", prov)
    if file_stem is not None and file_stem != provider.key:
        raise ctx.err(
            node,
            f"provider key {provider.key!r} must match the file name {file_stem!r}.yaml",
            "key",
        )
    return provider
