"""Load and validate the catalog from `policies/` (and user overrides).

The catalog is data: this module only checks its shape, reports problems with
file and line, and builds the typed model. Standard library + PyYAML only.
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path
from typing import Any

from sovlint.catalog.model import (
    KUBE_FIELD_SECTIONS,
    KUBE_SECTIONS,
    BackendSpec,
    Catalog,
    Certification,
    HostRule,
    KubeCatalog,
    KubeRule,
    Law,
    LocationLabel,
    Operator,
    Provenance,
    Provider,
    RegionGroup,
    Variant,
    kube_regex,
    normalize_source,
)
from sovlint.catalog.sources import source_problem
from sovlint.yamlpos import PosDict, PosList, YamlError, load

PROVIDER_KINDS = ("cloud", "saas", "utility", "generic")
CERT_STATUSES = ("qualified", "in_process")
HOST_KINDS = ("api", "storage", "registry", "saas", "state", "identity", "console")


class CatalogError(Exception):
    """A problem in catalog data, with the file and line to fix."""

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}")
        self.file = file
        self.line = line
        self.message = message


def policies_dir() -> Path:
    """The bundled `policies/` directory (inside the wheel, or at the repository root)."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "policies"
    if packaged.is_dir():
        return packaged
    return here.parent.parent / "policies"


class _Ctx:
    def __init__(
        self, file: str, error: type[CatalogError] = CatalogError, public: bool = True
    ) -> None:
        self.file = file
        self.error = error
        # Bundled facts must cite public URLs; an override may cite the user's own records.
        self.public = public

    def err(self, node: Any, message: str, key: str | None = None) -> CatalogError:
        line = 0
        if isinstance(node, PosDict):
            line = node.line_of(key) if key else node.line
        elif isinstance(node, PosList):
            line = node.line
        return self.error(self.file, line or 1, message)

    def mapping(self, node: Any, what: str, parent: Any = None, key: str | None = None) -> PosDict:
        if not isinstance(node, PosDict):
            raise self.err(parent if parent is not None else node, f"{what} must be a mapping", key)
        return node

    def keys(self, node: PosDict, allowed: set[str], required: set[str], what: str) -> None:
        for k in node:
            if k not in allowed:
                raise self.err(node, f"unknown key {k!r} in {what}", k)
        for k in sorted(required):
            if k not in node:
                raise self.err(node, f"{what} is missing required key {k!r}")

    def string(self, node: PosDict, key: str, required: bool = True) -> str:
        value = node.get(key)
        if value is None and not required:
            return ""
        if isinstance(value, (_dt.date, _dt.datetime)):
            return value.isoformat()
        if not isinstance(value, str) or not value.strip():
            raise self.err(node, f"{key!r} must be a non-empty string", key)
        return value

    def strings(self, node: PosDict, key: str) -> tuple[str, ...]:
        value = node.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.err(node, f"{key!r} must be a list of strings", key)
        return tuple(value)

    def provenance(self, node: PosDict, inherited: Provenance | None = None) -> Provenance:
        if "source" not in node and inherited is not None:
            return inherited
        source = self.string(node, "source")
        as_of = self.string(node, "as_of")
        try:
            _dt.date.fromisoformat(as_of)
        except ValueError:
            raise self.err(
                node, f"as_of must be a date (YYYY-MM-DD), got {as_of!r}", "as_of"
            ) from None
        problem = source_problem(source) if self.public else None
        if problem is not None:
            raise self.err(node, problem, "source")
        verified = node.get("verified", True)
        if not isinstance(verified, bool):
            raise self.err(node, "verified must be true or false", "verified")
        return Provenance(
            source,
            as_of,
            verified,
            self.file,
            node.line,
            review_by=self.date(node, "review_by"),
            valid_until=self.date(node, "valid_until"),
        )

    def date(self, node: PosDict, key: str) -> str | None:
        """An optional YYYY-MM-DD value."""
        if key not in node:
            return None
        value = self.string(node, key)
        try:
            _dt.date.fromisoformat(value)
        except ValueError:
            raise self.err(node, f"{key} must be a date (YYYY-MM-DD), got {value!r}", key) from None
        return value


_PROV_KEYS = {"source", "as_of", "verified", "review_by", "valid_until"}


def _country(ctx: _Ctx, countries: dict[str, str], node: PosDict, key: str, value: Any) -> str:
    """An ISO code (or, where `countries` includes them, a country group name)."""
    if isinstance(value, bool):
        raise ctx.err(
            node, "a country code read as a boolean: quote it (YAML 1.1 reads NO as false)", key
        )
    if not isinstance(value, str) or value not in countries:
        raise ctx.err(node, f"{value!r} is not an ISO 3166-1 alpha-2 code in countries.yaml", key)
    return value


def _location(
    ctx: _Ctx,
    countries: dict[str, str],
    node: PosDict,
    key: str,
    value: Any,
    new_groups: dict[str, frozenset[str]],
) -> str:
    """A region's place: one code or group, or a list of codes (a dual-region) -> `FI+NL`.

    A list becomes a country group named after its members, so a multi-country location
    is judged like any group: allowed only when every member is allowed (the worst wins).
    """
    if not isinstance(value, list):
        return _country(ctx, countries, node, key, value)
    if len(value) < 2:
        raise ctx.err(node, "a list of countries needs at least two codes", key)
    codes = sorted({_country(ctx, countries, node, key, v) for v in value})
    name = "+".join(codes)
    new_groups[name] = frozenset(codes)
    return name


def _certs(ctx: _Ctx, node: PosDict, key: str, inherited: Provenance) -> tuple[Certification, ...]:
    raw = node.get(key, [])
    if not isinstance(raw, list):
        raise ctx.err(node, f"{key!r} must be a list", key)
    out = []
    for item in raw:
        item = ctx.mapping(item, "a certification", node, key)
        ctx.keys(
            item,
            {"scheme", "status", "offer", "date", *_PROV_KEYS},
            {"scheme", "status", "offer"},
            "certification",
        )
        status = ctx.string(item, "status")
        if status not in CERT_STATUSES:
            raise ctx.err(item, f"status must be one of {', '.join(CERT_STATUSES)}", "status")
        out.append(
            Certification(
                scheme=ctx.string(item, "scheme"),
                status=status,
                offer=ctx.string(item, "offer"),
                date=ctx.string(item, "date", required=False) or None,
                provenance=ctx.provenance(item, inherited),
            )
        )
    return tuple(out)


def _load_file(path: Path, error: type[CatalogError] = CatalogError) -> Any:
    from sovlint.readfile import ReadError, read_text

    try:
        text = read_text(path)  # bounded, strictly decoded, never blocks on a FIFO
    except ReadError as exc:
        raise error(str(path), exc.line, str(exc)) from None
    try:
        return load(text)
    except YamlError as exc:
        raise error(str(path), exc.line, f"invalid YAML: {exc}") from None


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
    *_PROV_KEYS,
}


def _compile(ctx: _Ctx, node: PosDict, key: str, regex: str) -> re.Pattern[str]:
    try:
        return re.compile(regex)
    except re.error as exc:
        raise ctx.err(node, f"invalid regular expression {regex!r}: {exc}", key) from None


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
            {"countries", "patterns", "variant", "operator", "certifications", "note", *_PROV_KEYS},
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
        groups.append(
            RegionGroup(
                cmap,
                tuple(region_pats),
                gprov,
                variant,
                gop,
                _certs(ctx, gnode, "certifications", gprov),
                ctx.string(gnode, "note", required=False),
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
    operators: dict[str, Operator],
    providers: dict[str, Provider],
    into: list[HostRule],
) -> None:
    raw = data["hosts"]
    if not isinstance(raw, list):
        raise ctx.err(data, "hosts must be a list", "hosts")
    for node in raw:
        node = ctx.mapping(node, "a host rule", data, "hosts")
        ctx.keys(
            node,
            {"match", "operator", "provider", "country", "kind", *_PROV_KEYS},
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
        if country is not None:
            _country(ctx, countries, node, "country", country)
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


def _file_ctx(
    path: Path, top_keys: set[str], required: set[str], what: str, public: bool = True
) -> tuple[_Ctx, PosDict]:
    ctx = _Ctx(str(path), public=public)
    data = ctx.mapping(_load_file(path), what)
    ctx.keys(data, top_keys, required, what)
    return ctx, data


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
    _load_hosts(ctx, data, locations, operators, providers, hosts)
    ctx, data = _file_ctx(root / "backends.yaml", {"backends"}, {"backends"}, "backends.yaml")
    backends = _load_backends(ctx, data, providers)
    catalog = Catalog(countries, groups, laws, operators, providers, hosts, backends)
    _check_sources_unique(catalog)
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
            ctx, data, catalog.locations(), catalog.operators, catalog.providers, catalog.hosts
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
    catalog.overrides.append(str(path))


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
