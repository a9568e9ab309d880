"""policies/hosts.yaml and policies/backends.yaml: host patterns and state backends."""

from __future__ import annotations

import re
from collections.abc import Collection

from sovlint.catalog.model import BackendSpec, HostRule, Operator, Provider
from sovlint.catalog.shape import _PROV_KEYS, _country, _Ctx
from sovlint.yamlpos import PosDict

HOST_KINDS = ("api", "storage", "registry", "saas", "state", "identity", "console")


def host_regex(pattern: str) -> tuple[re.Pattern[str], int]:
    """`*.amazonaws.com`, `s3.{region}.scw.cloud`, `sos-{region}.exo.io` -> regex and specificity."""
    out = ["^"]
    literal = 0
    rest = pattern.lower()
    if rest.startswith("*."):
        out.append(r"(?:[a-z0-9_-]+\.)+")
        rest = rest[2:]
    i = 0
    while i < len(rest):
        if rest.startswith("{region}", i):
            out.append(r"(?P<region>[a-z0-9-]+)")
            i += len("{region}")
        elif rest[i] == "*":
            out.append(r"[a-z0-9-]*")
            i += 1
        else:
            out.append(re.escape(rest[i]))
            literal += 1
            i += 1
    out.append("$")
    return re.compile("".join(out)), literal


def _load_hosts(
    ctx: _Ctx,
    data: PosDict,
    countries: dict[str, str],
    groups: Collection[str],
    operators: dict[str, Operator],
    providers: dict[str, Provider],
    into: list[HostRule],
) -> None:
    """Host rules. `country` is one ISO code; a host whose data stays somewhere in a set of
    countries (an EU jurisdiction) names the set with `location_group`, judged like any
    country group (allowed only where every member is)."""
    raw = data["hosts"]
    if not isinstance(raw, list):
        raise ctx.err(data, "hosts must be a list", "hosts")
    for node in raw:
        node = ctx.mapping(node, "a host rule", data, "hosts")
        ctx.keys(
            node,
            {"match", "operator", "provider", "country", "location_group", "kind", *_PROV_KEYS},
            {"match", "operator", "kind", "source", "as_of"},
            "host rule",
        )
        op = ctx.string(node, "operator")
        if op not in operators:
            raise ctx.err(node, f"unknown operator {op!r}", "operator")
        prov_key = node.get("provider")
        if prov_key is not None and prov_key not in providers:
            raise ctx.err(node, f"unknown provider {prov_key!r}", "provider")
        kind = ctx.string(node, "kind")
        if kind not in HOST_KINDS:
            raise ctx.err(node, f"kind must be one of {', '.join(HOST_KINDS)}", "kind")
        country = node.get("country")
        if country is not None and isinstance(country, str) and country in groups:
            raise ctx.err(
                node,
                f"{country!r} is a country group, not an ISO 3166-1 alpha-2 code: write "
                f"location_group: {country} if the source says the data stays in that group, "
                "else leave the country out (unknown)",
                "country",
            )
        if country is not None:
            _country(ctx, countries, node, "country", country)
        if "location_group" in node:
            if country is not None:
                raise ctx.err(node, "a host rule takes country or location_group, not both")
            country = ctx.string(node, "location_group")
            if country not in groups:
                raise ctx.err(
                    node,
                    f"unknown country group {country!r} (see countries.yaml)",
                    "location_group",
                )
        match = ctx.string(node, "match")
        if "{region}" in match and prov_key is None and country is None:
            raise ctx.err(
                node,
                "a {region} pattern needs a provider (to resolve the region) or a fixed country",
                "match",
            )
        rx, spec = host_regex(match)
        into.append(HostRule(match, rx, op, prov_key, country, kind, ctx.provenance(node), spec))


def _load_backends(
    ctx: _Ctx, data: PosDict, providers: dict[str, Provider]
) -> dict[str, BackendSpec]:
    out: dict[str, BackendSpec] = {}
    raw = ctx.mapping(data["backends"], "backends", data, "backends")
    for kind, node in raw.items():
        node = ctx.mapping(node, f"backend {kind}", raw, kind)
        ctx.keys(
            node,
            {
                "provider",
                "location_attributes",
                "endpoint_attributes",
                "host_attributes",
                "default_host",
                "neutral",
                "note",
                *_PROV_KEYS,
            },
            {"source", "as_of"},
            f"backend {kind}",
        )
        provider = node.get("provider")
        if provider is not None and provider not in providers:
            raise ctx.err(node, f"unknown provider {provider!r}", "provider")
        neutral = node.get("neutral", False)
        if not isinstance(neutral, bool):
            raise ctx.err(node, "neutral must be true or false", "neutral")
        out[kind] = BackendSpec(
            kind=kind,
            provider=provider,
            location_attributes=ctx.strings(node, "location_attributes"),
            endpoint_attributes=ctx.strings(node, "endpoint_attributes"),
            host_attributes=ctx.strings(node, "host_attributes"),
            default_host=ctx.string(node, "default_host", required=False) or None,
            neutral=neutral,
            note=ctx.string(node, "note", required=False),
            provenance=ctx.provenance(node),
        )
    return out
