"""SOV204 cloud-resource-location-not-allowed: a cloud resource declared as a Kubernetes object
(Crossplane, ACK, Config Connector, Azure Service Operator) created in a region outside the
profile's countries."""

from __future__ import annotations

from collections.abc import Iterator

from sovlint.model import Finding, Severity, Verdict, WorkloadFacts
from sovlint.rules.base import Context, RuleMeta
from sovlint.rules.kubernetes import resource_location_cases

RULE = RuleMeta(
    id="SOV204",
    name="cloud-resource-location-not-allowed",
    title="Cloud resource declared in Kubernetes created outside the profile's countries",
    severity=Severity.HIGH,
    rationale=(
        "A Crossplane managed resource (`spec.forProvider.region` / `location`), an AWS "
        "Controllers for Kubernetes resource (the `services.k8s.aws/region` annotation), a "
        "Config Connector resource (`spec.location` / `region` / `zone`) or an Azure Service "
        "Operator resource (`spec.location`) makes a controller create that cloud resource in "
        "the region written there: data at rest follows it, like a Terraform `region`. The value "
        "is looked up in the region table of the cloud the API group belongs to "
        "(`resource_locations` in policies/kubernetes.yaml); a value the table does not know is "
        "unknown in the inventory, never passed. Where no region is written the controller's "
        "default applies (a ProviderConfig, the controller's own region): not judged here."
    ),
    fix="Create the resource in a region of the profile's countries (for example eu-west-3, europe-west9, francecentral), or with an operator under EU jurisdiction.",
    frameworks=("kubernetes",),
    reads=("k8s_objects",),
)


def check(facts: WorkloadFacts, ctx: Context) -> Iterator[Finding]:
    for obj in facts.k8s_objects:
        for case in resource_location_cases(ctx, obj):
            if case.verdict is not Verdict.NOT_SOVEREIGN:
                continue
            yield ctx.finding(
                RULE,
                case.span,
                obj.address,
                case.message,
                case.attribution,
                case.fix,
                obj.span.line,
                region=case.region,
                country=case.country,
            )
