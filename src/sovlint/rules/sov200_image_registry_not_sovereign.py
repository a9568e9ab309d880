"""SOV200 image-registry-not-sovereign: a container image pulled from a non-sovereign registry."""

from __future__ import annotations

from collections.abc import Iterator

from sovlint.model import Finding, Severity, Verdict, WorkloadFacts
from sovlint.rules.base import Context, RuleMeta
from sovlint.rules.kubernetes import image_case

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
        "registry) are not judged, unless `allow_registries` is set: then every other registry "
        "is reported. Read: containers of pod specs anywhere in an object, the image fields "
        "CRDs name (`image_locations` in policies/kubernetes.yaml: Tekton, Argo Workflows, "
        "Prometheus-operator, CloudNativePG, ECK, Crossplane packages), kustomization image "
        "overrides and, for an unrendered Helm chart, its default values (a heuristic: values a "
        "release sets are not seen)."
    ),
    fix="Mirror the image into a registry operated under EU jurisdiction (Scaleway rg.<region>.scw.cloud, OVHcloud Managed Private Registry, a self-hosted Harbor ...) and pull it from there; `allow_registries` in .sovlint.yaml lists the registries you accept.",
    frameworks=("kubernetes", "compose"),
    reads=("k8s_objects",),
)


def check(facts: WorkloadFacts, ctx: Context) -> Iterator[Finding]:
    for obj in facts.k8s_objects:
        for address, ref in obj.images:
            case = image_case(ctx, address, ref)
            if case.verdict is not Verdict.NOT_SOVEREIGN:
                continue
            yield ctx.finding(
                RULE, case.span, address, case.message, case.attribution, block_line=obj.span.line
            )
