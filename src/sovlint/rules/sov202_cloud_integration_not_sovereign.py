"""SOV202 cloud-integration-not-sovereign: an object bound to a non-sovereign operator's service."""

from __future__ import annotations

from collections.abc import Iterator

from sovlint.model import Finding, Severity, Verdict, WorkloadFacts
from sovlint.rules.base import Context, RuleMeta
from sovlint.rules.kubernetes import integration_cases

RULE = RuleMeta(
    id="SOV202",
    name="cloud-integration-not-sovereign",
    title="Kubernetes object bound to a non-sovereign cloud service",
    severity=Severity.HIGH,
    rationale=(
        "Some fields make a cloud controller create or use a service of that cloud's operator: a "
        "StorageClass provisioner or PV driver (disks), Service load-balancer annotations, "
        "workload-identity annotations and labels (IAM), IngressClass and GatewayClass "
        "controllers, cert-manager DNS01 solvers (DNS zones), External Secrets providers (secret "
        "stores), Crossplane / ACK / Config Connector / Karpenter API groups (whole cloud "
        "resources) and managed-node-pool labels. The data and credentials involved are then "
        "under that operator's jurisdiction, whatever the manifest's namespace or region."
    ),
    fix="Use the equivalent service of an operator under EU jurisdiction (Scaleway, OVHcloud, Hetzner, Exoscale, IONOS, STACKIT CSI drivers, load balancers and secret managers), or a self-hosted one.",
    frameworks=("kubernetes",),
    reads=("k8s_objects",),
)


def check(facts: WorkloadFacts, ctx: Context) -> Iterator[Finding]:
    for obj in facts.k8s_objects:
        for case in integration_cases(ctx, obj):
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
            )
