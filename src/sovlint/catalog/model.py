"""Typed catalog entries and the lookups rules need.

Every fact carries its provenance (`Provenance`: source, as_of, verified).
Lookups never guess: an unknown provider, region or host returns None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Re-exported: the Kubernetes and provenance entries lived here before the split.
from sovlint.catalog.kube_model import FieldPaths as FieldPaths
from sovlint.catalog.kube_model import KubeCatalog as KubeCatalog
from sovlint.catalog.kube_model import KubeRule as KubeRule
from sovlint.catalog.provenance import Certification as Certification
from sovlint.catalog.provenance import Provenance as Provenance

DEFAULT_REGISTRY_HOSTS = ("registry.terraform.io", "registry.opentofu.org")


@dataclass(frozen=True)
class Law:
    key: str
    name: str
    country: str
    provenance: Provenance


@dataclass(frozen=True)
class Operator:
    key: str
    name: str
    country: str
    parent: str
    parent_country: str
    exposure: tuple[str, ...]
    exposure_note: str
    provenance: Provenance
    certifications: tuple[Certification, ...] = ()

    @property
    def jurisdiction(self) -> str:
        """The jurisdiction that can compel the operator: its parent's when different."""
        if self.parent_country != self.country:
            return f"{self.country} (parent {self.parent_country})"
        return self.country


@dataclass(frozen=True)
class RegionGroup:
    countries: dict[str, str]
    patterns: tuple[tuple[re.Pattern[str], str], ...]
    provenance: Provenance
    variant: str | None = None
    operator: str | None = None
    certifications: tuple[Certification, ...] = ()
    note: str = ""
    # data sources that return every region of this group (hcloud_locations): the group
    # lists all of them as of its as_of, so an element of what they return is one of these
    listed_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class RegionInfo:
    region: str
    country: str
    operator: str | None
    certifications: tuple[Certification, ...]
    provenance: Provenance


@dataclass(frozen=True)
class Variant:
    """An alternative operator selected by a provider setting (google + universe_domain = s3nsapis.fr)."""

    key: str
    attribute: str
    equals: tuple[str, ...]
    operator: str
    provenance: Provenance
    # host suffixes: `metadata_host = "management.sovcloud-api.fr"` (or a URL) selects Bleu
    suffixes: tuple[str, ...] = ()

    def matches(self, value: str) -> bool:
        """Does a provider setting's value select this variant (exact value or host suffix)?"""
        text = value.strip().lower()
        if text in {e.lower() for e in self.equals}:
            return True
        if not self.suffixes:
            return False
        host = text.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].rstrip(".")
        return any(host == s or host.endswith("." + s) for s in self.suffixes)


@dataclass
class Provider:
    key: str
    name: str
    kind: str  # cloud | saas | utility | generic
    sources: tuple[str, ...]
    prefixes: tuple[str, ...]
    operator: str | None
    provenance: Provenance
    provider_location_attributes: tuple[str, ...] = ()
    resource_location_attributes: tuple[str, ...] = ()
    location_environment: tuple[str, ...] = ()
    normalize: str = "none"  # none | lower | azure
    zone_patterns: tuple[re.Pattern[str], ...] = ()
    endpoint_blocks: tuple[str, ...] = ()
    classify_by: tuple[str, ...] = ()
    # saas providers: settings that point the provider at a self-hosted instance (gitlab
    # base_url, tfe hostname); when written, the provider is judged by that host
    self_hosted_by: tuple[str, ...] = ()
    variants: tuple[Variant, ...] = ()
    region_groups: tuple[RegionGroup, ...] = ()
    certifications: tuple[Certification, ...] = ()
    fix: str = ""

    def normalize_region(self, value: str) -> str:
        value = value.strip()
        if self.normalize == "lower":
            return value.lower()
        if self.normalize == "azure":
            return value.lower().replace(" ", "")
        return value

    def region(self, value: str, variant: str | None = None) -> RegionInfo | None:
        """Country (and operator override) of a region or zone, or None if unknown."""
        norm = self.normalize_region(value)
        found = self._lookup(norm, variant)
        if found is not None:
            return found
        for pattern in self.zone_patterns:
            m = pattern.match(norm)
            if m:
                parent = self._lookup(m.group("region"), variant)
                if parent is not None:
                    return RegionInfo(
                        norm,
                        parent.country,
                        parent.operator,
                        parent.certifications,
                        parent.provenance,
                    )
        return None

    def _lookup(self, norm: str, variant: str | None) -> RegionInfo | None:
        for group in self.region_groups:
            if group.variant != variant:
                continue
            country = group.countries.get(norm)
            if country is None:
                for regex, pcountry in group.patterns:
                    if regex.match(norm):
                        country = pcountry
                        break
            if country is not None:
                return RegionInfo(
                    norm, country, group.operator, group.certifications, group.provenance
                )
        return None


@dataclass(frozen=True)
class HostRule:
    pattern: str
    regex: re.Pattern[str]
    operator: str
    provider: str | None
    country: str | None
    kind: str
    provenance: Provenance
    specificity: int


@dataclass(frozen=True)
class BackendSpec:
    """What a Terraform state backend type tells about where state lives."""

    kind: str
    provider: str | None  # catalog provider whose operator/regions apply
    location_attributes: tuple[str, ...]
    endpoint_attributes: tuple[str, ...]
    host_attributes: tuple[str, ...]
    default_host: str | None
    neutral: bool
    note: str
    provenance: Provenance


@dataclass(frozen=True)
class HostMatch:
    host: str
    rule: HostRule
    region: str | None
    country: str | None


@dataclass(frozen=True)
class LocationPath:
    """Where a resource type keeps a location (policies/locations.yaml)."""

    path: tuple[str, ...]  # nested block names, then the attribute
    regions: str | None  # provider key whose region table applies (None: the resource's)
    form: str  # none | atlas_aws
    when: tuple[tuple[str, str], ...]  # sibling attribute values the form applies to
    provenance: Provenance
    # the region table chosen by a sibling's value (`cloud = "GCP"` -> google) ...
    by: str | None = None
    tables: tuple[tuple[str, str], ...] = ()
    # ... or by a prefix of the value itself (`gcp-europe-west1` -> google `europe-west1`)
    prefixes: tuple[tuple[str, str], ...] = ()

    def resolve(self, value: str, siblings: dict[str, str | None]) -> tuple[str, str | None]:
        """(the value in its region table's form, that table's provider key). A sibling or
        prefix no entry names keeps the value as written and the default table, so the
        region is unknown and reported (SOV103), never guessed."""
        regions = self.regions
        if self.by is not None:
            chosen = dict(self.tables).get((siblings.get(self.by) or "").upper())
            if chosen is None:
                return value, regions
            regions = chosen
        for prefix, table in self.prefixes:
            if value.lower().startswith(prefix):
                return value[len(prefix) :], table
        return self.normalise(value, siblings) or value, regions

    def normalise(self, value: str, siblings: dict[str, str | None]) -> str | None:
        """The value in the region table's form; None when this declaration cannot say."""
        for key, expected in self.when:
            if (siblings.get(key) or "").upper() != expected.upper():
                return None
        if self.form == "atlas_aws":
            return value.strip().lower().replace("_", "-")
        return value


@dataclass
class Catalog:
    countries: dict[str, str]  # ISO alpha-2 -> name
    groups: dict[str, frozenset[str]]
    laws: dict[str, Law]
    operators: dict[str, Operator]
    providers: dict[str, Provider]
    hosts: list[HostRule]
    backends: dict[str, BackendSpec] = field(default_factory=dict)
    overrides: list[str] = field(default_factory=list)
    _by_source: dict[str, Provider] = field(default_factory=dict)
    _by_prefix: dict[str, Provider] = field(default_factory=dict)
    _host_memo: dict[str, HostMatch | None] = field(default_factory=dict)
    _hosts_by_tld: dict[str, list[HostRule]] = field(default_factory=dict)
    _hosts_any_tld: list[HostRule] = field(default_factory=list)
    _hosts_indexed: bool = False
    kubernetes: KubeCatalog = field(default_factory=lambda: KubeCatalog())
    resource_locations: dict[str, tuple[LocationPath, ...]] = field(default_factory=dict)

    def index(self) -> None:
        self._host_memo = {}
        self._hosts_indexed = False  # (the host index is built on the first host lookup)
        self._by_source = {}
        self._by_prefix = {}
        for provider in self.providers.values():
            for src in provider.sources:
                self._by_source[src.lower()] = provider
            for prefix in provider.prefixes:
                self._by_prefix.setdefault(prefix, provider)
        self.hosts.sort(key=lambda r: -r.specificity)

    def _index_hosts(self) -> None:
        # Host rules by the literal end of their pattern (up to two labels: `amazonaws.com`
        # of `*.{region}.amazonaws.com`): a host is tried only against the rules that can
        # match it (trying, and compiling, every rule ending in `.io` or `.com` for each
        # distinct host was most of a warm one-file scan's catalog time), in the same
        # most-specific-first order.
        suffixes = [_literal_suffix(r.pattern) for r in self.hosts]
        self._hosts_any_tld = [r for r, s in zip(self.hosts, suffixes, strict=True) if not s]
        keys = {k for s in suffixes if s for k in (s, s.rsplit(".", 1)[-1])}
        self._hosts_by_tld = {
            key: [
                r
                for r, s in zip(self.hosts, suffixes, strict=True)
                if s in ("", key, key.rsplit(".", 1)[-1])
            ]
            for key in keys
        }
        self._hosts_indexed = True

    def locations(self) -> dict[str, str]:
        """Valid location values: ISO codes and country group names."""
        return {**self.countries, **{g: f"group {g}" for g in self.groups}}

    def expand(self, names: list[str] | tuple[str, ...] | frozenset[str]) -> frozenset[str]:
        """Country codes from a mix of codes and group names (EU, EEA ...)."""
        out: set[str] = set()
        for name in names:
            out |= self.groups.get(name, frozenset({name}))
        return frozenset(out)

    def provider_by_source(self, source: str) -> Provider | None:
        return self._by_source.get(normalize_source(source))

    def provider_by_prefix(self, resource_type_or_name: str) -> Provider | None:
        prefix = resource_type_or_name.split("_", 1)[0]
        return self._by_prefix.get(prefix)

    def match_host(self, host: str) -> HostMatch | None:
        """The most specific host rule for a hostname (memoised: hosts repeat across a scan)."""
        if host in self._host_memo:
            return self._host_memo[host]
        found = self._match_host(host)
        self._host_memo[host] = found
        return found

    def _match_host(self, host: str) -> HostMatch | None:
        if not self._hosts_indexed:
            self._index_hosts()
        host = host.lower().rstrip(".")
        labels = host.rsplit(".", 2)
        rules = self._hosts_by_tld.get(".".join(labels[-2:])) or self._hosts_by_tld.get(
            labels[-1], self._hosts_any_tld
        )
        for rule in rules:
            m = rule.regex.match(host)
            if not m:
                continue
            region = m.groupdict().get("region")
            country = rule.country
            if country is None and region and rule.provider in self.providers:
                info = self.providers[rule.provider].region(region)
                country = info.country if info else None
            return HostMatch(host, rule, region, country)
        return None


def _literal_suffix(pattern: str) -> str:
    """The last one or two labels of a host pattern that are literal (`amazonaws.com` of
    `*.{region}.amazonaws.com`, `io` of `*.{x}.io`), "" when the last one is not."""
    out: list[str] = []
    for label in reversed(pattern.lower().split(".")):
        if "*" in label or "{" in label or len(out) == 2:
            break
        out.append(label)
    return ".".join(reversed(out))


def normalize_source(source: str) -> str:
    """`registry.terraform.io/HashiCorp/AWS` and `hashicorp/aws` are the same provider."""
    parts = source.strip().lower().split("/")
    if len(parts) == 3 and parts[0] in DEFAULT_REGISTRY_HOSTS:
        parts = parts[1:]
    if len(parts) == 1:
        parts = ["hashicorp", parts[0]]
    return "/".join(parts)
