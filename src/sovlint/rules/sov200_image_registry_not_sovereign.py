"""SOV200 image-registry-not-sovereign: a container image pulled from a non-sovereign registry."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from dataclasses import dataclass

from sovlint.model import Finding, ImageRef, K8sObject, Severity, Verdict, WorkloadFacts
from sovlint.rules.base import Context, RuleMeta
from sovlint.rules.k8s_case import Case, refusals, sovereign_registries, supplier_verdict

RULE = RuleMeta(
    id="SOV200",
    name="image-registry-not-sovereign",
    title="Container image pulled from a registry outside the profile's jurisdiction",
    severity=Severity.MEDIUM,
    rationale=(
        "Every pull tells the registry's operator what runs where, and the image can be changed "
        "or withdrawn under that operator's law: a cluster that cannot start without Docker Hub, "
        "GHCR, ECR or GCR depends on a US company. An image without a registry host (`nginx`) "
        "comes from Docker Hub. Images from registries the catalog does not know (a private "
        "registry) are not refused, unless `allow_registries` is set: then every other registry "
        "is reported; otherwise they are unknown places, reported as SOV103 (a templated image "
        "as SOV104). Read: containers of pod specs anywhere in an object, the image fields "
        "CRDs name (`image_locations` in policies/kubernetes.yaml: Tekton, Argo Workflows, "
        "Prometheus-operator, CloudNativePG, ECK, Crossplane packages), kustomization image "
        "overrides and, for an unrendered Helm chart, its default values (a heuristic: values a "
        "release sets are not seen)."
    ),
    fix="Mirror the image into a registry operated under EU jurisdiction (Scaleway rg.<region>.scw.cloud, OVHcloud Managed Private Registry, a self-hosted Harbor ...) and pull it from there; `allow_registries` in .sovlint.yaml lists the registries you accept.",
    frameworks=("kubernetes", "compose"),
    reads=("k8s_objects",),
)


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


_NOT_LITERAL = (
    "Write the image as a literal (registry/repository:tag), or scan the rendered manifests "
    "(`--render helm`, `--render kustomize`, or `helm template ... | sovlint scan -`) so that "
    "its registry is known."
)


def image_case(ctx: Context, address: str, ref: ImageRef) -> Case:
    implicit = ctx.catalog.kubernetes.implicit_registry
    image = parse_image(ref.image, implicit)
    what = {
        "images": f"image override {ref.image}",
        "values": f"chart default image {ref.image} (values {ref.container}, read without rendering)",
    }.get(ref.section, f"image {ref.image}")
    if image is None:
        message = (
            f"{what} is not a literal: the registry it is pulled from cannot be known statically"
        )
        return Case(
            "SOV200",
            address,
            ref.span,
            Verdict.UNKNOWN,
            message,
            None,
            _NOT_LITERAL,
            reporter="SOV104",
        )
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
            f"{what} is pulled from {where}, a registry the catalog does not know: who operates "
            "it and where it stores images cannot be verified",
            att,
            "If you accept this registry, list it in allow_registries (.sovlint.yaml); otherwise "
            "add it with its operator and country (and a public source) to a catalog override "
            f"(`--catalog`), or mirror the image into {sovereign_registries(ctx)}.",
            reporter="SOV103",
        )
    status, reason = supplier_verdict(ctx, att, match.country)
    message = f"{what} is pulled from {where}: {reason}"
    if status is not Verdict.UNKNOWN:
        return Case("SOV200", address, ref.span, status, message, att)
    fix = (
        f"Mirror the image into a registry in {ctx.profile.name}'s countries "
        f"({sovereign_registries(ctx)}) and pull it from there; if the registry publishes where "
        "it stores images, add that country with its source to a catalog override (`--catalog`)."
    )
    return Case("SOV200", address, ref.span, status, message, att, fix, reporter="SOV103")


def image_cases(ctx: Context, obj: K8sObject) -> Iterator[Case]:
    for address, ref in obj.images:
        yield image_case(ctx, address, ref)


def check(facts: WorkloadFacts, ctx: Context) -> Iterator[Finding]:
    return refusals(RULE, facts, ctx, image_cases)
