"""Every Kubernetes fact judged once: images (SOV200), placements (SOV201), cloud
integrations (SOV202), egress values (SOV203) and regions of declared cloud resources
(SOV204), and the inventory verdict of each object.

Rules and the inventory read the same cases, so a finding and the object's verdict can
never disagree.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from dataclasses import dataclass

from sovlint import judge
from sovlint.catalog.model import KubeRule, RegionInfo
from sovlint.model import (
    Attribution,
    HelmChart,
    ImageRef,
    InventoryItem,
    K8sObject,
    PlacementRef,
    SignalRef,
    Span,
    Verdict,
)
from sovlint.rules.base import Context

SIGNAL_SECTIONS = {
    "provisioner": "provisioners",
    "volume_source": "volume_sources",
    "annotation": "annotations",
    "label": "labels",
    "ingress_class": "ingress_classes",
    "ingress_controller": "ingress_controllers",
    "gateway_class": "gateway_classes",
    "gateway_controller": "gateway_controllers",
    "dns01_solver": "dns01_solvers",
    "secret_provider": "secret_providers",
    "api_group": "api_groups",
    "field_value": "field_values",
    "container_flag": "container_flags",
}
_SIGNAL_LABELS = {
    "provisioner": "provisioner",
    "volume_source": "volume source",
    "annotation": "annotation",
    "label": "label",
    "ingress_class": "ingress class",
    "ingress_controller": "IngressClass controller",
    "gateway_class": "gateway class",
    "gateway_controller": "GatewayClass controller",
    "dns01_solver": "cert-manager dns01 solver",
    "secret_provider": "External Secrets provider",
    "api_group": "API group",
    "field_value": "field",
    "container_flag": "container flag",
}


@dataclass(frozen=True)
class Case:
    """One judged fact of an object."""

    rule: str  # SOV200 | SOV201 | SOV202 | SOV203
    address: str
    span: Span
    verdict: Verdict
    message: str
    attribution: Attribution | None
    fix: str = ""
    region: str | None = None
    country: str | None = None


# -- images --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImageName:
    registry: str  # host[:port], lower case
    host: str  # without the port
    repository: str
    implicit: bool  # no registry written: the catalog's implicit registry (Docker Hub)


def parse_image(reference: str, implicit_registry: str) -> ImageName | None:
    """Registry and repository of an image reference (distribution/reference rules);
    None when it is not a literal (`$(IMAGE)`, `${TAG}`, `{{ ... }}`) or is empty."""
    ref = reference.strip()
    if not ref or any(c in ref for c in "${} \t"):
        return None
    name = ref.split("@", 1)[0]
    first, sep, rest = name.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost" or first != first.lower()):
        registry, path, implicit = first.lower(), rest, False
    else:
        registry, path, implicit = implicit_registry, name, True
    last = path.rsplit("/", 1)[-1]
    if ":" in last:
        path = path[: path.rfind(":")]
    if not path:
        return None
    if registry == "docker.io" and "/" not in path:
        path = f"library/{path}"
    host = registry.rsplit(":", 1)[0] if not registry.startswith("[") else registry
    return ImageName(registry, host, path.lower(), implicit)


def registry_allowed(image: ImageName, allowed: tuple[str, ...]) -> bool:
    """Entries: a host (`rg.fr-par.scw.cloud`), a host glob (`*.container-registry.ovh.net`),
    or a host and repository prefix (`registry.example.com/platform`)."""
    for entry in allowed:
        pattern = entry.strip().lower().rstrip("/")
        if not pattern:
            continue
        host_pattern, _, prefix = pattern.partition("/")
        if not (
            fnmatch.fnmatchcase(image.registry, host_pattern)
            or fnmatch.fnmatchcase(image.host, host_pattern)
        ):
            continue
        if not prefix or image.repository == prefix or image.repository.startswith(f"{prefix}/"):
            return True
    return False


def image_case(ctx: Context, address: str, ref: ImageRef) -> Case:
    implicit = ctx.catalog.kubernetes.implicit_registry
    image = parse_image(ref.image, implicit)
    what = {
        "images": f"image override {ref.image}",
        "values": f"chart default image {ref.image} (values {ref.container}, read without rendering)",
    }.get(ref.section, f"image {ref.image}")
    if image is None:
        return Case("SOV200", address, ref.span, Verdict.UNKNOWN, f"{what} is not a literal", None)
    where = f"{image.registry} (no registry host: Docker Hub)" if image.implicit else image.registry
    match = ctx.catalog.match_host(image.host)
    att = (
        ctx.attributor.make(
            match.rule.provider,
            match.rule.operator,
            f"registry {image.registry}",
            match.country,
            match.region,
        )
        if match is not None
        else ctx.attributor.make(None, None, f"registry {image.registry} is not in the catalog")
    )
    allow = ctx.profile.allow_registries
    if allow:
        if registry_allowed(image, allow):
            return Case(
                "SOV200",
                address,
                ref.span,
                Verdict.SOVEREIGN,
                f"{what} comes from an allowed registry",
                att,
            )
        return Case(
            "SOV200",
            address,
            ref.span,
            Verdict.NOT_SOVEREIGN,
            f"{what} is pulled from {where}, which is not in allow_registries ({', '.join(allow)})",
            att,
        )
    if match is None:
        return Case(
            "SOV200",
            address,
            ref.span,
            Verdict.UNKNOWN,
            f"{what} is pulled from {where}, a registry the catalog does not know",
            att,
        )
    status, reason = supplier_verdict(ctx, att, match.country)
    message = f"{what} is pulled from {where}: {reason}"
    return Case("SOV200", address, ref.span, status, message, att)


def supplier_verdict(ctx: Context, att: Attribution, country: str | None) -> tuple[Verdict, str]:
    """A host the cluster pulls from (a registry, a GitOps source): its operator, then the
    country where it stores what it serves; an acceptable operator in no known country is
    unknown."""
    verdict = judge.operator(att, ctx.profile, ctx.catalog)
    if verdict.verdict is not Verdict.SOVEREIGN:
        return verdict.verdict, verdict.reason
    if judge.country(country, ctx.profile, ctx.catalog) is Verdict.NOT_SOVEREIGN:
        return Verdict.NOT_SOVEREIGN, judge.outside_countries(country, ctx.profile)
    if country is None:
        return Verdict.UNKNOWN, verdict.reason  # where the data sits is not known
    return Verdict.SOVEREIGN, verdict.reason


# -- placements ----------------------------------------------------------------------------


def placement_case(ctx: Context, address: str, p: PlacementRef) -> Case | None:
    """None when the label key is not a region/zone label."""
    label = ctx.catalog.kubernetes.location_labels.get(p.key)
    if label is None:
        return None
    found: list[tuple[str, RegionInfo]] = []
    for key in label.providers:
        entry = ctx.catalog.providers.get(key)
        info = entry.region(p.value) if entry is not None else None
        if info is not None:
            found.append((key, info))
    where = f"{p.attribute} {p.key}={p.value}"
    if not found:
        return Case(
            "SOV201",
            address,
            p.span,
            Verdict.UNKNOWN,
            f"{where}: not a {label.level} the catalog knows",
            None,
            region=p.value,
        )
    by_country: dict[str, list[str]] = {}
    for key, info in found:
        by_country.setdefault(info.country, []).append(key)
    verdicts = {c: judge.country(c, ctx.profile, ctx.catalog) for c in by_country}
    desc = "; ".join(f"{c} ({', '.join(keys)})" for c, keys in sorted(by_country.items()))
    country = next(iter(by_country)) if len(by_country) == 1 else None
    att = None
    if len(found) == 1:
        key, info = found[0]
        entry = ctx.catalog.providers[key]
        att = ctx.attributor.make(
            key, info.operator or entry.operator, f"{p.key} on {entry.name}", info.country, p.value
        )
    if all(v is Verdict.NOT_SOVEREIGN for v in verdicts.values()):
        return Case(
            "SOV201",
            address,
            p.span,
            Verdict.NOT_SOVEREIGN,
            f"{where} pins it to {desc}, outside {ctx.profile.name}'s countries",
            att,
            "",
            p.value,
            country,
        )
    if all(v is Verdict.SOVEREIGN for v in verdicts.values()):
        return Case(
            "SOV201",
            address,
            p.span,
            Verdict.SOVEREIGN,
            f"{where}: {desc}",
            att,
            "",
            p.value,
            country,
        )
    return Case(
        "SOV201",
        address,
        p.span,
        Verdict.UNKNOWN,
        f"{where}: ambiguous, {desc}",
        att,
        "",
        p.value,
        country,
    )


# -- cloud integrations --------------------------------------------------------------------


def _integration(ctx: Context, address: str, span: Span, rule: KubeRule, desc: str) -> Case:
    att = ctx.attributor.make(
        rule.provider, rule.operator, f"{desc} ({rule.provenance.describe()})"
    )
    verdict = judge.operator(att, ctx.profile, ctx.catalog)
    entry = ctx.catalog.providers.get(rule.provider or "")
    fix = entry.fix if entry is not None and entry.fix else ""
    status = verdict.verdict
    if status is Verdict.SOVEREIGN:
        status = Verdict.UNKNOWN  # an acceptable operator; where the service runs is not written
    return Case(
        "SOV202",
        address,
        span,
        status,
        f"{desc}: the service is {verdict.reason}",
        att,
        fix,
    )


def integration_cases(ctx: Context, obj: K8sObject) -> Iterator[Case]:
    kube = ctx.catalog.kubernetes
    seen: set[tuple[str, str]] = set()  # one case per catalog entry and object
    for sig in obj.signals:
        section = SIGNAL_SECTIONS.get(sig.kind)
        if section is None:
            continue
        rule = kube.match(section, sig.key, sig.owner or obj.kind, sig.value)
        if rule is None or (section, rule.match) in seen:
            continue
        seen.add((section, rule.match))
        yield _integration(ctx, obj.address, sig.span, rule, describe(sig))
    for p in obj.placements:
        rule = kube.match("node_labels", p.key)
        if rule is None or ("node_labels", rule.match) in seen:
            continue
        seen.add(("node_labels", rule.match))
        yield _integration(ctx, obj.address, p.span, rule, f"{p.attribute} {p.key}")


def describe(sig: SignalRef) -> str:
    label = _SIGNAL_LABELS.get(sig.kind, sig.kind)
    if sig.kind == "label":
        return f"{'pod ' if sig.owner == 'Pod' else ''}label {sig.key}={sig.value}"
    if sig.kind in ("volume_source",) and sig.owner == "Pod":
        return f"pod {label} {sig.key}"
    return f"{label} {sig.key}"


# -- cloud resources declared as objects -----------------------------------------------------


def resource_location_cases(ctx: Context, obj: K8sObject) -> Iterator[Case]:
    """SOV204: each region a Crossplane / ACK / Config Connector / ASO object writes, judged
    with its cloud's region table like a Terraform location."""
    from sovlint.rules.locations import region_status

    for loc in obj.cloud_locations:
        entry = ctx.catalog.providers.get(loc.provider)
        if entry is None:  # pragma: no cover - the catalog loader checks providers
            continue
        info = entry.region(loc.value)
        where = f"{loc.attribute} {loc.value!r}"
        if info is None:
            yield Case(
                "SOV204",
                obj.address,
                loc.span,
                Verdict.UNKNOWN,
                f"{where}: not a {entry.name} region the catalog knows",
                None,
                entry.fix,
                loc.value,
            )
            continue
        status, detail = region_status(ctx, entry, info)
        operator = info.operator or entry.operator
        att = ctx.attributor.make(
            entry.key, operator, f"{where} on {entry.name}", info.country, loc.value
        )
        verdict = Verdict.NOT_SOVEREIGN if status == "not_allowed" else Verdict.SOVEREIGN
        yield Case(
            "SOV204",
            obj.address,
            loc.span,
            verdict,
            f"{where}: the controller creates the resource {detail}",
            att,
            entry.fix,
            loc.value,
            info.country,
        )


# -- everything ----------------------------------------------------------------------------


def egress_cases(ctx: Context, obj: K8sObject) -> Iterator[Case]:
    from sovlint.rules.sov203_egress_endpoint_not_sovereign import judge_value

    for address, ref in obj.values:
        for host, reason, att in judge_value(ctx, ref):
            assert isinstance(att, Attribution)
            yield Case(
                "SOV203",
                address,
                ref.span,
                Verdict.NOT_SOVEREIGN,
                f"{ref.attribute} sends data to {host}: {reason}",
                att,
            )


def source_cases(ctx: Context, obj: K8sObject) -> Iterator[Case]:
    from sovlint.rules.sov205_gitops_source_not_sovereign import object_cases

    for verdict, message, att, ref in object_cases(ctx, obj):
        yield Case("SOV205", obj.address, ref.span, verdict, message, att)


def cases(ctx: Context, obj: K8sObject) -> Iterator[Case]:
    for address, ref in obj.images:
        yield image_case(ctx, address, ref)
    for p in obj.placements:
        case = placement_case(ctx, obj.address, p)
        if case is not None:
            yield case
    yield from integration_cases(ctx, obj)
    yield from resource_location_cases(ctx, obj)
    yield from egress_cases(ctx, obj)
    yield from source_cases(ctx, obj)


_RANK = {Verdict.NOT_SOVEREIGN: 2, Verdict.UNKNOWN: 1, Verdict.SOVEREIGN: 0}


def inventory_item(ctx: Context, obj: K8sObject, kind: str = "kubernetes") -> InventoryItem:
    """The object with its worst verdict (and that fact's operator and place); like a
    Terraform resource, an acceptable operator whose location is not written is unknown,
    and an object with nothing to judge (a plain ConfigMap) is neutral, never sovereign."""
    judged = list(cases(ctx, obj))
    worst = max(judged, key=lambda c: _RANK[c.verdict], default=None)
    att = worst.attribution if worst is not None else None
    region = worst.region if worst else None
    country = worst.country if worst else None
    return InventoryItem(
        kind=kind,
        address=obj.address,
        file=obj.span.file,
        line=obj.span.line,
        provider=att.provider_key if att else None,
        operator=att.operator if att else None,
        jurisdiction=att.jurisdiction if att else None,
        region=region or (att.region if att else None),
        country=country or (att.country if att else None),
        verdict=worst.verdict if worst is not None else Verdict.NEUTRAL,
    )


def chart_item(chart: HelmChart) -> InventoryItem:
    """An unrendered Helm chart: unknown (once rendered, its objects are listed instead)."""
    return InventoryItem(
        kind="helm_chart",
        address=chart.path,
        file=chart.span.file,
        line=chart.span.line,
        provider=None,
        operator=None,
        jurisdiction=None,
        region=None,
        country=None,
        verdict=Verdict.UNKNOWN,
    )
