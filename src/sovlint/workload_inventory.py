"""The inventory verdict of each Kubernetes (or Compose) object: the worst of the cases the
Kubernetes rules judge (sovlint.rules.k8s_case), so a finding and the object's verdict can
never disagree. A refused case is a finding of its rule (SOV200-SOV205), an unknown one of
SOV103 or SOV104; the item links them all."""

from __future__ import annotations

from collections.abc import Iterator

from sovlint.model import HelmChart, InventoryItem, K8sObject, Verdict
from sovlint.rules.base import Context
from sovlint.rules.k8s_case import Case
from sovlint.rules.sov200_image_registry_not_sovereign import image_cases
from sovlint.rules.sov201_workload_location_not_allowed import placement_cases
from sovlint.rules.sov202_cloud_integration_not_sovereign import integration_cases
from sovlint.rules.sov203_egress_endpoint_not_sovereign import egress_cases
from sovlint.rules.sov204_cloud_resource_location_not_allowed import resource_location_cases
from sovlint.rules.sov205_gitops_source_not_sovereign import source_cases


def judged_cases(ctx: Context, facts: object, obj: K8sObject) -> tuple[Case, ...]:
    """`cases` of an object of `facts`, computed once for the rules that report unknown
    cases (SOV103, SOV104) and the inventory."""
    return ctx.per_facts(facts, ("cases", id(obj)), lambda: tuple(cases(ctx, obj)))


def cases(ctx: Context, obj: K8sObject) -> Iterator[Case]:
    yield from image_cases(ctx, obj)
    yield from placement_cases(ctx, obj)
    yield from integration_cases(ctx, obj)
    yield from resource_location_cases(ctx, obj)
    yield from egress_cases(ctx, obj)
    yield from source_cases(ctx, obj)


_RANK = {Verdict.NOT_SOVEREIGN: 2, Verdict.UNKNOWN: 1, Verdict.SOVEREIGN: 0}


def inventory_item(
    ctx: Context, facts: object, obj: K8sObject, kind: str = "kubernetes"
) -> InventoryItem:
    """The object with its worst verdict (and that fact's operator and place); like a
    Terraform resource, an acceptable operator whose location is not written is unknown,
    and an object with nothing to judge (a plain ConfigMap) is neutral, never sovereign."""
    judged = judged_cases(ctx, facts, obj)
    worst = max(judged, key=lambda c: _RANK[c.verdict], default=None)
    att = worst.attribution if worst is not None else None
    region = worst.region if worst else None
    country = worst.country if worst else None
    own = (obj.span.file, obj.address)
    # the findings that report it: on the object, or on one of its containers (file, address)
    links = tuple(
        dict.fromkeys(
            (c.span.file, c.address)
            for c in judged
            if c.verdict is not Verdict.SOVEREIGN and (c.span.file, c.address) != own
        )
    )
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
        links=links,
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
