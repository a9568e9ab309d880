"""Load and validate the catalog from `policies/` (and user overrides).

The catalog is data: this module and its siblings (shape, load_providers, load_hosts,
load_kubernetes, locations) only check its shape, report problems with file and line, and
build the typed model. Standard library + PyYAML only.
"""

from __future__ import annotations

import re
from pathlib import Path

from sovlint.catalog.kube_model import KUBE_FIELD_SECTIONS, KUBE_SECTIONS
from sovlint.catalog.load_hosts import _load_backends, _load_hosts
from sovlint.catalog.load_kubernetes import _load_kubernetes
from sovlint.catalog.load_providers import _load_provider
from sovlint.catalog.model import Catalog, HostRule, Law, Operator, Provider
from sovlint.catalog.provenance import OfferScope
from sovlint.catalog.shape import (
    _PROV_KEYS,
    CatalogError,
    _certs,
    _country,
    _Ctx,
    _file_ctx,
    _load_file,
)
from sovlint.yamlpos import PosDict

__all__ = ["CatalogError", "apply_override", "load_catalog", "policies_dir"]


def policies_dir() -> Path:
    """The bundled `policies/` directory (inside the wheel, or at the repository root)."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "policies"
    if packaged.is_dir():
        return packaged
    return here.parent.parent / "policies"


def _load_countries(path: Path) -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    ctx = _Ctx(str(path))
    data = ctx.mapping(_load_file(path), "countries.yaml")
    ctx.keys(
        data,
        {"countries", "groups", *_PROV_KEYS},
        {"countries", "groups", "source", "as_of"},
        "countries.yaml",
    )
    ctx.provenance(data)
    raw = ctx.mapping(data["countries"], "countries", data, "countries")
    countries: dict[str, str] = {}
    for code, name in raw.items():
        if (
            not isinstance(code, str)
            or not re.fullmatch(r"[A-Z]{2}", code)
            or not isinstance(name, str)
        ):
            raise ctx.err(raw, f"bad country entry {code!r}", code)
        countries[code] = name
    groups: dict[str, frozenset[str]] = {}
    graw = ctx.mapping(data["groups"], "groups", data, "groups")
    for gname, gnode in graw.items():
        gnode = ctx.mapping(gnode, f"group {gname}", graw, gname)
        ctx.keys(
            gnode,
            {"name", "countries", "includes", "any_country", *_PROV_KEYS},
            {"source", "as_of"},
            f"group {gname}",
        )
        ctx.provenance(gnode)
        members: set[str] = set()
        if gnode.get("any_country") is True:
            # A location not pinned to a country (Azure/Google "global"): it could be any.
            members |= set(countries)
        elif "countries" not in gnode:
            raise ctx.err(gnode, f"group {gname} needs countries (or any_country: true)")
        for inc in ctx.strings(gnode, "includes"):
            if inc not in groups:
                raise ctx.err(
                    gnode, f"group {gname} includes unknown (or later) group {inc!r}", "includes"
                )
            members |= groups[inc]
        for code in ctx.strings(gnode, "countries"):
            members.add(_country(ctx, countries, gnode, "countries", code))
        groups[gname] = frozenset(members)
    return countries, groups


def _load_laws(path: Path, countries: dict[str, str]) -> dict[str, Law]:
    ctx = _Ctx(str(path))
    data = ctx.mapping(_load_file(path), "laws.yaml")
    ctx.keys(data, {"laws"}, {"laws"}, "laws.yaml")
    laws = {}
    for key, node in ctx.mapping(data["laws"], "laws", data, "laws").items():
        node = ctx.mapping(node, f"law {key}")
        ctx.keys(
            node,
            {"name", "country", *_PROV_KEYS},
            {"name", "country", "source", "as_of"},
            f"law {key}",
        )
        laws[key] = Law(
            key,
            ctx.string(node, "name"),
            _country(ctx, countries, node, "country", node["country"]),
            ctx.provenance(node),
        )
    return laws


_OPERATOR_KEYS = {
    "name",
    "country",
    "parent",
    "parent_country",
    "exposure",
    "exposure_note",
    "certifications",
    *_PROV_KEYS,
}


def _load_operators(
    ctx: _Ctx,
    data: PosDict,
    countries: dict[str, str],
    laws: dict[str, Law],
    into: dict[str, Operator],
) -> None:
    for key, node in ctx.mapping(data["operators"], "operators", data, "operators").items():
        node = ctx.mapping(node, f"operator {key}", data["operators"], key)
        ctx.keys(
            node,
            _OPERATOR_KEYS,
            {
                "name",
                "country",
                "parent",
                "parent_country",
                "exposure",
                "exposure_note",
                "source",
                "as_of",
            },
            f"operator {key}",
        )
        prov = ctx.provenance(node)
        exposure = ctx.strings(node, "exposure")
        for law in exposure:
            if law not in laws:
                raise ctx.err(node, f"unknown law {law!r} (see laws.yaml)", "exposure")
        into[key] = Operator(
            key=key,
            name=ctx.string(node, "name"),
            country=_country(ctx, countries, node, "country", node["country"]),
            parent=ctx.string(node, "parent"),
            parent_country=_country(ctx, countries, node, "parent_country", node["parent_country"]),
            exposure=exposure,
            exposure_note=ctx.string(node, "exposure_note"),
            provenance=prov,
            certifications=_certs(ctx, node, "certifications", prov),
        )


def load_catalog(root: Path | None = None, extra_files: list[Path] | None = None) -> Catalog:
    """Load the bundled catalog, then user override files (same format, later wins)."""
    root = root or policies_dir()
    countries, groups = _load_countries(root / "countries.yaml")
    laws = _load_laws(root / "laws.yaml", countries)
    operators: dict[str, Operator] = {}
    ctx, data = _file_ctx(root / "operators.yaml", {"operators"}, {"operators"}, "operators.yaml")
    _load_operators(ctx, data, countries, laws, operators)
    # Region entries may name a country group (GCS multi-region "EU") instead of one country.
    locations = {**countries, **{g: f"group {g}" for g in groups}}
    providers: dict[str, Provider] = {}
    multi: dict[str, frozenset[str]] = {}
    for path in sorted((root / "providers").glob("*.yaml")):
        pctx = _Ctx(str(path))
        provider = _load_provider(pctx, _load_file(path), locations, operators, path.stem, multi)
        providers[provider.key] = provider
    groups.update(multi)
    hosts: list[HostRule] = []
    ctx, data = _file_ctx(root / "hosts.yaml", {"hosts"}, {"hosts"}, "hosts.yaml")
    _load_hosts(ctx, data, countries, groups, operators, providers, hosts)
    ctx, data = _file_ctx(root / "backends.yaml", {"backends"}, {"backends"}, "backends.yaml")
    backends = _load_backends(ctx, data, providers)
    catalog = Catalog(countries, groups, laws, operators, providers, hosts, backends)
    _check_sources_unique(catalog)
    _check_scopes(catalog)
    ctx, data = _file_ctx(
        root / "kubernetes.yaml",
        {"implicit_registry", "location_labels", *KUBE_SECTIONS, *KUBE_FIELD_SECTIONS},
        {"implicit_registry"},
        "kubernetes.yaml",
    )
    _load_kubernetes(ctx, data, catalog, catalog.kubernetes)
    from sovlint.catalog.locations import load_locations

    ctx, data = _file_ctx(
        root / "locations.yaml", {"resource_locations"}, {"resource_locations"}, "locations.yaml"
    )
    load_locations(ctx, data, catalog)
    for extra in extra_files or []:
        apply_override(catalog, extra)
    catalog.index()
    return catalog


def _check_sources_unique(catalog: Catalog) -> None:
    seen: dict[str, str] = {}
    for provider in catalog.providers.values():
        for src in provider.sources:
            if src in seen and seen[src] != provider.key:
                raise CatalogError(
                    provider.provenance.file,
                    provider.provenance.line,
                    f"source {src!r} claimed by both {seen[src]!r} and {provider.key!r}",
                )
            seen[src] = provider.key


def _check_scopes(catalog: Catalog) -> None:
    """A qualified offer's scope names a provider of the catalog (an operator's must name
    one: its offers reach Terraform only through it), that provider's variant and regions."""
    for op in catalog.operators.values():
        for cert in op.certifications:
            if cert.scope is not None:
                _check_scope(catalog, cert.scope, None, f"operator {op.key}")
    for provider in catalog.providers.values():
        for cert in provider.certifications:
            if cert.scope is not None:
                _check_scope(catalog, cert.scope, provider, f"provider {provider.key}")
        for group in provider.region_groups:
            for cert in group.certifications:
                if cert.scope is not None:
                    _check_scope(catalog, cert.scope, provider, f"a region group of {provider.key}")


def _check_scope(catalog: Catalog, scope: OfferScope, owner: Provider | None, what: str) -> None:
    prov = scope.provenance

    def fail(message: str) -> CatalogError:
        return CatalogError(prov.file, prov.line, f"certification scope of {what}: {message}")

    if owner is None and scope.provider is None:
        raise fail("an operator's offer must name the provider it is managed through (provider:)")
    if owner is not None and scope.provider not in (None, owner.key):
        raise fail(f"provider {scope.provider!r} is not {owner.key!r}, the entry it is on")
    entry = owner or catalog.providers.get(scope.provider or "")
    if entry is None:
        raise fail(f"provider {scope.provider!r} is not in the catalog")
    if scope.variant is not None and scope.variant not in {v.key for v in entry.variants}:
        raise fail(f"{entry.key} has no variant {scope.variant!r}")
    for region in scope.regions:
        if entry.region(region, scope.variant) is None:
            raise fail(f"{region!r} is not a region of {entry.key} in the catalog")


def apply_override(catalog: Catalog, path: Path) -> None:
    """Apply a user catalog file with the same shapes as the bundled data.

    `operators:` (mapping, as operators.yaml), `providers:` (list of provider
    mappings, as providers/*.yaml), `hosts:` (list, as hosts.yaml) and `kubernetes:`
    (mapping, as kubernetes.yaml). An entry with an existing key replaces the bundled
    one; new host rules and Kubernetes entries are added (and win over equally specific ones).
    """
    ctx, data = _file_ctx(
        path,
        {"operators", "providers", "hosts", "kubernetes"},
        set(),
        "catalog override",
        public=False,
    )
    if "operators" in data:
        _load_operators(ctx, data, catalog.countries, catalog.laws, catalog.operators)
    raw_providers = data.get("providers", [])
    if not isinstance(raw_providers, list):
        raise ctx.err(data, "providers must be a list of provider entries", "providers")
    for pnode in raw_providers:
        provider = _load_provider(
            ctx, pnode, catalog.locations(), catalog.operators, None, catalog.groups
        )
        catalog.providers[provider.key] = provider
    if "hosts" in data:
        _load_hosts(
            ctx,
            data,
            catalog.countries,
            catalog.groups,
            catalog.operators,
            catalog.providers,
            catalog.hosts,
        )
    if "kubernetes" in data:
        kube = ctx.mapping(data["kubernetes"], "kubernetes", data, "kubernetes")
        ctx.keys(
            kube,
            {"implicit_registry", "location_labels", *KUBE_SECTIONS, *KUBE_FIELD_SECTIONS},
            set(),
            "kubernetes overrides",
        )
        _load_kubernetes(ctx, kube, catalog, catalog.kubernetes, override=True)
    _check_sources_unique(catalog)
    _check_scopes(catalog)
    catalog.overrides.append(str(path))
