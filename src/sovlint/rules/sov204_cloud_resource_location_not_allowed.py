"""SOV204 cloud-resource-location-not-allowed: a cloud resource declared as a Kubernetes object
(Crossplane, ACK, Config Connector, Azure Service Operator) created in a region outside the
profile's countries."""

from __future__ import annotations

from collections.abc import Iterator

from sovlint.model import Finding, K8sObject, Severity, Verdict, WorkloadFacts
from sovlint.rules.base import Context, RuleMeta
from sovlint.rules.k8s_case import Case, refusals

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
        "unknown in the inventory and reported as SOV103, never passed. Where no region is written the controller's "
        "default applies (a ProviderConfig, the controller's own region): not judged here."
    ),
    fix="Create the resource in a region of the profile's countries (for example eu-west-3, europe-west9, francecentral), or with an operator under EU jurisdiction.",
    frameworks=("kubernetes",),
    reads=("k8s_objects",),
)


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
                f"{where}: not a {entry.name} region the catalog knows, so the country where "
                "the controller creates the resource cannot be verified",
                ctx.attributor.make(entry.key, entry.operator, f"{where} on {entry.name}"),
                region=loc.value,
                reporter="SOV103",
            )
            continue
        operator = info.operator or entry.operator
        status, detail = region_status(ctx, entry, info, operator)
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


def check(facts: WorkloadFacts, ctx: Context) -> Iterator[Finding]:
    return refusals(RULE, facts, ctx, resource_location_cases)
