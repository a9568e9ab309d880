"""SOV202 cloud-integration-not-sovereign: an object bound to a non-sovereign operator's service."""

from __future__ import annotations

from collections.abc import Iterator

from sovlint import judge
from sovlint.catalog.model import KubeRule
from sovlint.model import Finding, K8sObject, Severity, SignalRef, Span, Verdict, WorkloadFacts
from sovlint.rules.base import Context, RuleMeta
from sovlint.rules.k8s_case import Case, refusals
from sovlint.rules.sov201_workload_location_not_allowed import readings

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
        "under that operator's jurisdiction, whatever the manifest's namespace or region. An "
        "acceptable operator's service runs in the cluster's region, which the manifest does "
        "not write (unless the object writes its own region, judged by SOV201 or SOV204): "
        "unknown, "
        "reported as SOV104."
    ),
    fix="Use the equivalent service of an operator under EU jurisdiction (Scaleway, OVHcloud, Hetzner, Exoscale, IONOS, STACKIT CSI drivers, load balancers and secret managers), or a self-hosted one.",
    frameworks=("kubernetes",),
    reads=("k8s_objects",),
)


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


def _integration(
    ctx: Context, address: str, span: Span, rule: KubeRule, desc: str, placed: frozenset[str]
) -> Case:
    """`placed`: the providers whose region the object writes (SOV201/SOV204 judge it)."""
    att = ctx.attributor.make(
        rule.provider, rule.operator, f"{desc} ({rule.provenance.describe()})"
    )
    verdict = judge.operator(att, ctx.profile, ctx.catalog)
    entry = ctx.catalog.providers.get(rule.provider or "")
    fix = entry.fix if entry is not None and entry.fix else ""
    message = f"{desc}: the service is {verdict.reason}"
    if verdict.verdict is Verdict.UNKNOWN:
        message += ", so its jurisdiction cannot be verified"
        return Case("SOV202", address, span, Verdict.UNKNOWN, message, att, fix, reporter="SOV103")
    if verdict.verdict is Verdict.SOVEREIGN and rule.provider not in placed:
        # an acceptable operator; where the service runs is the cluster's region, not written
        message = (
            f"{desc}: a service of {att.operator or 'an acceptable operator'} "
            f"({verdict.reason}) that runs in the cluster's region, which the manifest does not "
            "write, so its country cannot be verified"
        )
        return Case(
            "SOV202",
            address,
            span,
            Verdict.UNKNOWN,
            message,
            att,
            _unwritten_fix(fix),
            reporter="SOV104",
        )
    return Case("SOV202", address, span, verdict.verdict, message, att, fix)


def _unwritten_fix(alternative: str) -> str:
    instead = f" Or use another service: {alternative}" if alternative else ""
    return (
        "Check the region of the cluster that runs this object (scanning the Terraform that "
        "creates it judges that region) and suppress with it as the reason "
        f"(`sovlint.io/ignore: SOV104 -- cluster in <region>`).{instead}"
    )


def integration_cases(ctx: Context, obj: K8sObject) -> Iterator[Case]:
    kube = ctx.catalog.kubernetes
    seen: set[tuple[str, str]] = set()  # one case per catalog entry and object
    # the clouds whose region the object writes: a declared resource's region (SOV204) or a
    # region/zone pin one of its region tables knows (SOV201) judges that place instead
    placed = frozenset(loc.provider for loc in obj.cloud_locations) | {
        key for p in obj.placements for key, _info in readings(ctx, p)
    }
    for sig in obj.signals:
        section = SIGNAL_SECTIONS.get(sig.kind)
        if section is None:
            continue
        rule = kube.match(section, sig.key, sig.owner or obj.kind, sig.value)
        if rule is None or (section, rule.match) in seen:
            continue
        seen.add((section, rule.match))
        yield _integration(ctx, obj.address, sig.span, rule, describe(sig), placed)
    for p in obj.placements:
        rule = kube.match("node_labels", p.key)
        if rule is None or ("node_labels", rule.match) in seen:
            continue
        seen.add(("node_labels", rule.match))
        yield _integration(ctx, obj.address, p.span, rule, f"{p.attribute} {p.key}", placed)


def describe(sig: SignalRef) -> str:
    label = _SIGNAL_LABELS.get(sig.kind, sig.kind)
    if sig.kind == "label":
        return f"{'pod ' if sig.owner == 'Pod' else ''}label {sig.key}={sig.value}"
    if sig.kind in ("volume_source",) and sig.owner == "Pod":
        return f"pod {label} {sig.key}"
    return f"{label} {sig.key}"


def check(facts: WorkloadFacts, ctx: Context) -> Iterator[Finding]:
    return refusals(RULE, facts, ctx, integration_cases)
