"""policies/kubernetes.yaml (or the `kubernetes:` mapping of an override file)."""

from __future__ import annotations

import re

from sovlint.catalog.kube_model import (
    KUBE_SECTIONS,
    KubeCatalog,
    KubeRule,
    LocationLabel,
    kube_regex,
)
from sovlint.catalog.model import Catalog
from sovlint.catalog.shape import _PROV_KEYS, _Ctx
from sovlint.yamlpos import PosDict


def _known_provider(ctx: _Ctx, node: PosDict, catalog: Catalog, key: str) -> None:
    if key not in catalog.providers:
        raise ctx.err(node, f"unknown provider {key!r} (see providers/)", "providers")
    if not catalog.providers[key].region_groups:
        raise ctx.err(node, f"provider {key!r} has no region table", "providers")


def _load_kubernetes(
    ctx: _Ctx, data: PosDict, catalog: Catalog, into: KubeCatalog, override: bool = False
) -> None:
    """policies/kubernetes.yaml (or the `kubernetes:` mapping of an override file)."""
    if "implicit_registry" in data:
        node = ctx.mapping(
            data["implicit_registry"], "implicit_registry", data, "implicit_registry"
        )
        ctx.keys(node, {"host", *_PROV_KEYS}, {"host", "source", "as_of"}, "implicit_registry")
        host = ctx.string(node, "host").strip().lower()
        if not re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", host):
            raise ctx.err(node, f"implicit_registry host {host!r} is not a hostname", "host")
        into.implicit_registry = host
        into.implicit_provenance = ctx.provenance(node)
    for section in KUBE_SECTIONS:
        if section not in data:
            continue
        raw = data[section]
        if not isinstance(raw, list):
            raise ctx.err(data, f"{section} must be a list", section)
        pattern_key = "suffix" if section == "api_groups" else "match"
        for node in raw:
            node = ctx.mapping(node, f"an entry of {section}", data, section)
            ctx.keys(
                node,
                {pattern_key, "operator", "provider", "kinds", "values", "note", *_PROV_KEYS},
                {pattern_key, "operator", "source", "as_of"},
                f"{section} entry",
            )
            op = ctx.string(node, "operator")
            if op not in catalog.operators:
                raise ctx.err(node, f"unknown operator {op!r} (see operators.yaml)", "operator")
            provider = node.get("provider")
            if provider is not None and provider not in catalog.providers:
                raise ctx.err(node, f"unknown provider {provider!r} (see providers/)", "provider")
            if provider is not None and catalog.providers[provider].operator != op:
                raise ctx.err(
                    node,
                    f"provider {provider!r} is operated by "
                    f"{catalog.providers[provider].operator!r}, not {op!r}",
                    "operator",
                )
            pattern = ctx.string(node, pattern_key).strip()
            if section == "api_groups" and "*" in pattern:
                raise ctx.err(node, "an API group suffix takes no wildcard", pattern_key)
            regex, specificity = kube_regex(section, pattern)
            into.add(
                KubeRule(
                    section=section,
                    match=pattern,
                    regex=regex,
                    operator=op,
                    provider=provider,
                    kinds=ctx.strings(node, "kinds"),
                    values=ctx.strings(node, "values"),
                    note=ctx.string(node, "note", required=False),
                    provenance=ctx.provenance(node),
                    specificity=specificity,
                ),
                first=override,
            )
    from sovlint.catalog.kube_fields import load_field_sections

    load_field_sections(ctx, data, catalog, into, override)
    raw_labels = data.get("location_labels", [])
    if not isinstance(raw_labels, list):
        raise ctx.err(data, "location_labels must be a list", "location_labels")
    for node in raw_labels:
        node = ctx.mapping(node, "a location label", data, "location_labels")
        ctx.keys(
            node,
            {"key", "level", "providers", *_PROV_KEYS},
            {"key", "level", "providers", "source", "as_of"},
            "location label",
        )
        level = ctx.string(node, "level")
        if level not in ("region", "zone"):
            raise ctx.err(node, "level must be region or zone", "level")
        providers = ctx.strings(node, "providers")
        if not providers:
            raise ctx.err(node, "a location label needs at least one provider", "providers")
        for key in providers:
            _known_provider(ctx, node, catalog, key)
        label = ctx.string(node, "key").strip()
        into.location_labels[label] = LocationLabel(label, level, providers, ctx.provenance(node))
