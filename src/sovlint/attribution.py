"""Who operates a fact, under which jurisdiction, and where: the catalog applied to facts.

Attribution is separate from judgement: this module says what is true
(operator, country, basis), `judge` says what a profile thinks of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from sovlint.catalog.model import Catalog, HostMatch, Operator, Provider, RegionInfo
from sovlint.model import Attribution, Backend, EndpointRef, ProviderConfig, Resource
from sovlint.netloc import host_of

# `data.aws_eks_cluster.this.endpoint`, `azurerm_kubernetes_cluster.aks.kube_config[0].host`
_REFERENCE = re.compile(r"(?<![\w.])(data\.)?([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z_][\w-]*)")


@dataclass(frozen=True)
class ProviderView:
    """A provider configuration as the catalog sees it."""

    config: ProviderConfig | None
    entry: Provider | None  # None: provider unknown to the catalog
    variant: str | None
    attribution: Attribution
    neutral: bool  # utility or generic provider with nothing to judge
    base: Attribution | None = (
        None  # the provider's own operator when endpoints redirect some services
    )
    regions: Provider | None = (
        None  # whose region list applies (a generic provider's cloud), default: entry
    )
    endpoint: tuple[str, str] | None = None  # (setting, host) a generic provider is judged by
    self_hosted: bool = False  # a saas provider pointed at an instance by `self_hosted_by`

    @property
    def known(self) -> bool:
        return self.entry is not None

    @property
    def region_entry(self) -> Provider | None:
        return self.regions or self.entry

    @property
    def by_endpoint(self) -> bool:
        """Judged by the endpoint it is given (a generic or self-hosted provider), not by a
        fixed operator."""
        return self.entry is not None and (self.entry.kind == "generic" or self.self_hosted)


class Attributor:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    # -- building blocks --------------------------------------------------------
    def operator(self, key: str | None) -> Operator | None:
        return self.catalog.operators.get(key) if key else None

    def make(
        self,
        provider_key: str | None,
        operator_key: str | None,
        basis: str,
        country: str | None = None,
        region: str | None = None,
    ) -> Attribution:
        op = self.operator(operator_key)
        return Attribution(
            provider_key=provider_key,
            operator_key=operator_key if op else None,
            operator=op.name if op else None,
            jurisdiction=op.jurisdiction if op else None,
            country=country,
            region=region,
            basis=basis,
        )

    def host(self, host: str) -> HostMatch | None:
        return self.catalog.match_host(host)

    def entry_for(self, local_name: str, source: str | None) -> Provider | None:
        if local_name == "terraform" and not source:  # the built-in provider
            source = "builtin/terraform"
        if source:
            return self.catalog.provider_by_source(source)
        return self.catalog.provider_by_source(
            f"hashicorp/{local_name}"
        ) or self.catalog.provider_by_prefix(local_name)

    @staticmethod
    def variant_of(entry: Provider, settings: dict[str, str | None]) -> str | None:
        for variant in entry.variants:
            value = settings.get(variant.attribute)
            if value is not None and variant.matches(value):
                return variant.key
        return None

    def region_info(self, entry: Provider, value: str, variant: str | None) -> RegionInfo | None:
        return entry.region(value, variant)

    # -- providers ------------------------------------------------------------
    def provider(
        self, pc: ProviderConfig | None, local_name: str, source: str | None
    ) -> ProviderView:
        entry = self.entry_for(local_name, source)
        settings = {k: v.value for k, v in pc.settings.items()} if pc else {}
        label = source or f"hashicorp/{local_name} (implied)"
        if entry is None:
            return ProviderView(
                pc,
                None,
                None,
                self.make(None, None, f"provider {label} is not in the catalog"),
                False,
            )
        if entry.kind == "generic":
            return self._generic(pc, entry, label)
        if entry.self_hosted_by:
            hosted = self._by_setting(pc, entry, entry.self_hosted_by)
            if hosted is not None:  # not the SaaS: whoever runs the instance at that host
                return replace(hosted, self_hosted=True)
        if entry.kind == "utility":
            return ProviderView(
                pc,
                entry,
                None,
                self.make(entry.key, None, f"{entry.kind} provider {label}: nothing to judge"),
                True,
            )
        variant = self.variant_of(entry, settings)
        operator_key = entry.operator
        if variant:
            operator_key = next(v.operator for v in entry.variants if v.key == variant)
        basis = f"provider {label}" + (
            f" with {self._variant_attr(entry, variant)}" if variant else ""
        )
        country = region = None
        info: RegionInfo | None = None
        if pc:
            for loc in pc.locations:
                if loc.resolved.value:
                    info = self.region_info(entry, loc.resolved.value, variant)
                    region = loc.resolved.value
                    if info:
                        country = info.country
                        if info.operator:
                            operator_key = info.operator
                    break
        att = self.make(
            entry.key,
            operator_key,
            basis,
            country,
            region,
        )
        endpoint_view = self._endpoints(pc.endpoints if pc else [], entry)
        if endpoint_view is not None:
            return ProviderView(pc, entry, variant, endpoint_view, False, base=att)
        return ProviderView(pc, entry, variant, att, False)

    @staticmethod
    def _variant_attr(entry: Provider, variant: str) -> str:
        v = next(v for v in entry.variants if v.key == variant)
        if v.equals:
            return f"{v.attribute} = {v.equals[0]!r}"
        return f"{v.attribute} under {v.suffixes[0]}"

    def _generic(self, pc: ProviderConfig | None, entry: Provider, label: str) -> ProviderView:
        """A generic provider (kubernetes, helm, openstack ...) is operated by whoever runs the
        endpoint it is given: a literal host in the catalog, or the cloud resource it references
        (`data.aws_eks_cluster.x.endpoint` is an AWS cluster). Anything else is unknown."""
        found = self._by_setting(pc, entry, entry.classify_by)
        if found is not None:
            return found
        settings = pc.settings if pc is not None else {}
        written: list[str] = [
            k for k in ("config_path", "config_paths", "config_context") if k in settings
        ]
        written += [k for k in settings if k.endswith((".config_path", ".config_context"))]
        if written:
            why = f"{', '.join(sorted(written))} only: the endpoint is chosen by a kubeconfig file"
        else:
            attrs = "/".join(entry.classify_by)
            why = f"{label} has no {attrs}: the endpoint comes from the environment"
        return ProviderView(pc, entry, None, self.make(entry.key, None, why), False)

    def _by_setting(
        self, pc: ProviderConfig | None, entry: Provider, attrs: tuple[str, ...]
    ) -> ProviderView | None:
        """The view given by the first of `attrs` the configuration writes (its host, or the
        cloud resource it reads from; unknown when neither), None when none is written."""
        settings = pc.settings if pc is not None else {}
        for attr in attrs:
            for key, res in settings.items():
                if key != attr and not key.endswith(f".{attr}"):
                    continue
                if res.value:
                    return self._generic_host(pc, entry, key, res.value)
                referenced = self._referenced_cloud(res.raw)
                if referenced is not None:
                    cloud, what = referenced
                    att = self.make(entry.key, cloud.operator, f"{key} = {res.raw} ({what})")
                    return ProviderView(pc, entry, None, att, False, regions=cloud)
                why = f"{key} = {res.raw} cannot be evaluated statically"
                return ProviderView(pc, entry, None, self.make(entry.key, None, why), False)
        return None

    def _referenced_cloud(self, raw: str) -> tuple[Provider, str] | None:
        """The cloud provider of a resource or data source an expression reads from."""
        for m in _REFERENCE.finditer(raw):
            rtype = m.group(2)
            cloud = self.catalog.provider_by_prefix(rtype.split("_", 1)[0])
            if cloud is not None and cloud.kind in ("cloud", "saas") and cloud.operator:
                return (
                    cloud,
                    f"read from {m.group(1) or ''}{rtype}.{m.group(3)}, a {cloud.key} resource",
                )
        return None

    def _generic_host(
        self, pc: ProviderConfig | None, entry: Provider, attr: str, value: str
    ) -> ProviderView:
        host = host_of(value)
        match = self.host(host) if host else None
        if match is None or not host:
            why = f"{attr} host {host or value!r} is not in the catalog"
            return ProviderView(pc, entry, None, self.make(entry.key, None, why), False)
        cloud = self.catalog.providers.get(match.rule.provider or "")
        region = match.region
        if region is None and pc is not None and cloud is not None:
            # the host names the cloud; the provider's region names the place in it
            region = next((loc.resolved.value for loc in pc.locations if loc.resolved.value), None)
        info = cloud.region(region) if cloud and region else None
        att = self.make(
            entry.key,
            (info.operator if info and info.operator else None) or match.rule.operator,
            f"{attr} host {host}",
            match.country or (info.country if info else None),
            region,
        )
        return ProviderView(pc, entry, None, att, False, regions=cloud, endpoint=(attr, host))

    def _endpoints(
        self, endpoints: list[EndpointRef], entry: Provider | None
    ) -> Attribution | None:
        """When every overridden endpoint points at one known operator, that operator runs the service."""
        if not endpoints:
            return None
        atts = [self.endpoint(ep) for ep in endpoints]
        operators = {a.operator_key for a in atts}
        if len(operators) == 1 and None not in operators:
            return atts[0]
        return self.make(
            entry.key if entry else None,
            None,
            "endpoints point at " + ", ".join(sorted(ep.host for ep in endpoints)),
        )

    def endpoint(self, ep: EndpointRef) -> Attribution:
        match = self.host(ep.host)
        if match is None:
            return self.make(None, None, f"{ep.attribute} host {ep.host} is not in the catalog")
        entry = self.catalog.providers.get(match.rule.provider or "")
        info = entry.region(match.region) if entry and match.region else None
        operator_key = info.operator if info and info.operator else match.rule.operator
        return self.make(
            match.rule.provider,
            operator_key,
            f"{ep.attribute} host {ep.host}",
            match.country,
            match.region,
        )

    # -- resources ------------------------------------------------------------
    def resource(self, res: Resource, view: ProviderView) -> Attribution:
        """The resource's operator: its provider's, unless an endpoint override covers its service."""
        pc = view.config
        if pc and view.entry and pc.endpoints:
            covering = self.covering_endpoint(res, view)
            if covering is not None:
                return self.endpoint(covering)
            return view.base or view.attribution
        return view.attribution

    @staticmethod
    def covering_endpoint(res: Resource, view: ProviderView) -> EndpointRef | None:
        """The endpoint override that redirects this resource's service, if any."""
        if view.config is None or view.entry is None:
            return None
        for ep in view.config.endpoints:
            service = ep.attribute.split(".", 1)[-1]
            if any(res.type.startswith(f"{p}_{service}") for p in view.entry.prefixes):
                return ep
        return None

    # -- backends -------------------------------------------------------------
    def backend(self, be: Backend) -> tuple[Attribution, bool]:
        """(attribution, neutral) for a state backend."""
        spec = self.catalog.backends.get(be.kind)
        if spec is None:
            return self.make(None, None, f"backend type {be.kind!r} is not in the catalog"), False
        if spec.neutral:
            return self.make(None, None, f"{be.kind} backend: {spec.note}"), True
        if be.endpoints:
            att = self._endpoints(be.endpoints, None)
            if att is not None:
                return att, False
        if not be.settings and spec.endpoint_attributes and be.address.startswith("terraform."):
            # `backend "s3" {}`: completed at init by -backend-config, which may name any
            # S3-compatible endpoint: not AWS until the configuration says so
            why = f'backend "{be.kind}" {{}} is configured at init (-backend-config)'
            if be.config_file is not None:
                why = f'backend "{be.kind}" {{}} completed by {be.config_file}, which sets nothing'
            return self.make(None, None, why), False
        if spec.host_attributes and not be.endpoints:
            if spec.default_host:
                match = self.host(spec.default_host)
                if match:
                    return self.make(
                        None,
                        match.rule.operator,
                        f"{be.kind} backend default host {spec.default_host}",
                        match.country,
                    ), False
            return self.make(None, None, f"{be.kind} backend without a literal host"), False
        if spec.provider is None:
            return self.make(None, None, f"{be.kind} backend"), False
        entry = self.catalog.providers.get(spec.provider)
        if entry is None:
            return self.make(
                None, None, f"{be.kind} backend provider {spec.provider} not in catalog"
            ), False
        settings = {k: v.value for k, v in be.settings.items()}
        variant = self.variant_of(entry, settings)
        operator_key = entry.operator
        country = region = None
        info = None
        for loc in be.locations:
            if loc.resolved.value:
                region = loc.resolved.value
                info = entry.region(region, variant)
                if info:
                    country = info.country
                    operator_key = info.operator or operator_key
        return self.make(
            entry.key,
            operator_key,
            f"{be.kind} backend ({entry.name})",
            country,
            region,
        ), False
