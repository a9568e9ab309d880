"""The typed fact model shared by every frontend, rule and reporter.

Frontends turn files into facts (who operates what, where, at which source
span); rules judge facts; reporters render findings. This module imports only
the standard library so that the Checkov extension can load it by path.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Protocol


class Severity(enum.IntEnum):
    """Finding severity, ordered so that comparisons mean "at least as bad"."""

    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3

    @property
    def label(self) -> str:
        return _SEVERITY_LABELS[self]  # (Enum.name is a slow descriptor; reports ask often)

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            names = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {text!r} (expected one of: {names})") from None


_SEVERITY_LABELS = {s: s.name.lower() for s in Severity}


class Verdict(str, enum.Enum):
    SOVEREIGN = "sovereign"
    NOT_SOVEREIGN = "not_sovereign"
    UNKNOWN = "unknown"
    NEUTRAL = "neutral"  # nothing operated anywhere (random, null, tls, a plain ConfigMap)


@dataclass(frozen=True, order=True)
class Span:
    """Where a fact comes from: a file (POSIX path as given to the scanner) and 1-based lines."""

    file: str
    line: int
    end_line: int = 0
    column: int = 1

    @property
    def last_line(self) -> int:
        return max(self.line, self.end_line)


@dataclass(frozen=True)
class Resolved:
    """A statically evaluated value: the literal, or None when it cannot be known.

    `origin` says where the value came from when it was not written in place
    (a variable default, a tfvars file, a local), so messages can name it.
    """

    raw: str
    value: str | None
    origin: str | None = None


@dataclass(frozen=True)
class LocationRef:
    """An attribute that carries a location (region, location, zone ...)."""

    attribute: str
    resolved: Resolved
    span: Span
    regions: str | None = None  # provider key whose region table judges it (None: the resource's)


@dataclass(frozen=True)
class EndpointRef:
    """An attribute that redirects an SDK to another API host (endpoints.s3, universe_domain ...)."""

    attribute: str
    url: str
    host: str
    span: Span


@dataclass(frozen=True)
class ValueRef:
    """A literal string value, kept for egress checks (URLs and hostnames)."""

    attribute: str
    value: str
    span: Span


@dataclass
class ProviderConfig:
    """A provider configuration: a `provider` block, or a provider declared only in
    `required_providers` (then `declared_only` is true and the span is the declaration)."""

    address: str
    local_name: str
    alias: str | None
    source: str | None
    span: Span
    block_line: int
    declared_only: bool = False
    locations: list[LocationRef] = field(default_factory=list)
    endpoints: list[EndpointRef] = field(default_factory=list)
    settings: dict[str, Resolved] = field(default_factory=dict)
    values: list[ValueRef] = field(default_factory=list)


@dataclass
class Resource:
    """A managed resource or a data source."""

    address: str
    type: str
    mode: str  # "managed" | "data"
    provider_local_name: str
    provider_address: str
    span: Span
    locations: list[LocationRef] = field(default_factory=list)
    values: list[ValueRef] = field(default_factory=list)


@dataclass
class Backend:
    """Where Terraform state lives: a `backend` block or a `cloud {}` block, or a backend
    block completed by one `-backend-config` file (`config_file`): then `span` is in that
    file and `block` is the backend block's own span."""

    address: str
    kind: str
    span: Span
    settings: dict[str, Resolved] = field(default_factory=dict)
    locations: list[LocationRef] = field(default_factory=list)
    endpoints: list[EndpointRef] = field(default_factory=list)
    config_file: str | None = None
    block: Span | None = None

    @property
    def label(self) -> str:
        """How messages name it: `s3` or `s3 with -backend-config=envs/prod.tfbackend`."""
        if self.config_file is None:
            return self.kind
        return f"{self.kind} with -backend-config={self.config_file}"


@dataclass(frozen=True)
class UnresolvedModule:
    """A module call whose code could not be loaded, so its resources were not checked."""

    address: str
    source: str
    reason: str
    span: Span


@dataclass(frozen=True)
class ParseFailure:
    """A file that could not be read or parsed. Fail closed: this is a finding."""

    file: str
    line: int
    message: str


@dataclass
class FactSet:
    """Everything one frontend learned about one unit (a Terraform module, a manifest file)."""

    unit: str
    files: list[str] = field(default_factory=list)
    providers: list[ProviderConfig] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    backends: list[Backend] = field(default_factory=list)
    failures: list[ParseFailure] = field(default_factory=list)
    values: list[tuple[str, ValueRef]] = field(default_factory=list)
    k8s_objects: list[K8sObject] = field(default_factory=list)
    k8s_charts: list[HelmChart] = field(default_factory=list)
    # Provider configurations a child module receives from its caller, by the child's own
    # address for them ("provider.aws", "provider.aws.west"); judged where they are written.
    inherited_providers: dict[str, ProviderConfig] = field(default_factory=dict)
    unresolved_modules: list[UnresolvedModule] = field(default_factory=list)


# -- the facts each kind of rule reads: FactSet seen per framework -------------------------
# A rule's `check` takes the view of the facts it judges, so mypy refuses a Terraform rule
# that reads Kubernetes objects (and tests/test_rule_reads.py checks RuleMeta.reads at run
# time). Every FactSet is all of them; a frontend fills the fields of its own framework.


class FailureFacts(Protocol):
    """Files that could not be read or parsed (any frontend)."""

    @property
    def unit(self) -> str: ...
    @property
    def failures(self) -> list[ParseFailure]: ...


class TerraformFacts(Protocol):
    """A Terraform root module, a module instance it calls, or a plan."""

    @property
    def unit(self) -> str: ...
    @property
    def providers(self) -> list[ProviderConfig]: ...
    @property
    def resources(self) -> list[Resource]: ...
    @property
    def backends(self) -> list[Backend]: ...
    @property
    def values(self) -> list[tuple[str, ValueRef]]: ...
    @property
    def inherited_providers(self) -> dict[str, ProviderConfig]: ...
    @property
    def unresolved_modules(self) -> list[UnresolvedModule]: ...


class WorkloadFacts(Protocol):
    """Workload objects (Kubernetes objects, Compose services) and unrendered Helm charts."""

    @property
    def unit(self) -> str: ...
    @property
    def k8s_objects(self) -> list[K8sObject]: ...
    @property
    def k8s_charts(self) -> list[HelmChart]: ...


class EgressFacts(TerraformFacts, Protocol):
    """Everything that holds values sent somewhere: Terraform attributes and workload values."""

    @property
    def k8s_objects(self) -> list[K8sObject]: ...


@dataclass(frozen=True)
class Attribution:
    """Who operates something, under which jurisdiction, where: the catalog's answer.

    Fields are None when unknown; `basis` says which fact decided (for messages and audits).
    """

    provider_key: str | None
    operator_key: str | None
    operator: str | None
    jurisdiction: str | None
    country: str | None
    region: str | None
    basis: str


@dataclass
class Finding:
    rule_id: str
    severity: Severity
    message: str
    file: str
    line: int
    end_line: int
    address: str
    provider: str | None
    operator: str | None
    jurisdiction: str | None
    region: str | None
    country: str | None
    fix: str
    block_line: int = 0
    suppressed: bool = False
    suppression_reason: str | None = None
    suppressed_by: str = "comment"  # "comment" (sovlint:ignore in the source) or "baseline"
    suppression_until: str | None = None  # the `until=` date of the suppression comment
    suppression_line: int = 0  # the line of that comment (0 for a baseline entry)
    # Root modules through which a shared child module's finding was reached ("examples/complete"):
    # one finding per distinct fact, whoever calls the module.
    callers: tuple[str, ...] = ()

    def sort_key(self) -> tuple[str, int, str, str, str]:
        return (self.file, self.line, self.rule_id, self.address, self.message)


@dataclass
class InventoryItem:
    """One line of the sovereignty bill of materials."""

    kind: str  # provider | resource | data | backend
    address: str
    file: str
    line: int
    provider: str | None
    operator: str | None
    jurisdiction: str | None
    region: str | None
    country: str | None
    verdict: Verdict
    # (file, address) of the facts whose findings report this item besides its own: the
    # provider configuration or backend a resource's unknown (or failure) comes from.
    links: tuple[tuple[str, str], ...] = ()


# -- Kubernetes facts (frontends/kubernetes) ------------------------------------------


@dataclass(frozen=True)
class ImageRef:
    """A container image: `section` is containers, initContainers, ephemeralContainers, the
    key of a catalog image location (steps, sidecars, image ...), or `images` for a
    kustomization's image override."""

    container: str
    section: str
    image: str
    span: Span


@dataclass(frozen=True)
class PlacementRef:
    """A node label value an object is pinned to: a nodeSelector entry, an `In` value of a node
    affinity term, a StorageClass allowedTopologies value, a PV node affinity or Karpenter requirement."""

    attribute: str  # nodeSelector | nodeAffinity | allowedTopologies | requirements ...
    key: str
    value: str
    span: Span


@dataclass(frozen=True)
class SignalRef:
    """A field that may bind an object to a cloud operator's service; the catalog decides.

    kind: provisioner | volume_source | annotation | label | ingress_class | ingress_controller |
    gateway_class | gateway_controller | dns01_solver | secret_provider | api_group.
    `key` is the string matched against the catalog, `value` the field's value (for messages).
    """

    kind: str
    key: str
    value: str
    span: Span
    owner: str = ""  # kind of the embedded object it belongs to ("Pod" for a pod template), else ""


@dataclass(frozen=True)
class IgnoreAnnotation:
    """The `sovlint.io/ignore: "SOV200,SOV202 -- reason"` annotation of an object."""

    value: str
    span: Span


@dataclass(frozen=True)
class CloudLocationRef:
    """A region or location written in a Kubernetes object that declares a cloud resource
    (Crossplane, ACK, Config Connector, ASO): judged with `provider`'s region table."""

    attribute: str
    value: str
    provider: str
    span: Span


@dataclass
class K8sObject:
    """One Kubernetes object (a document, or an item of a List)."""

    api_version: str
    kind: str
    name: str | None
    namespace: str | None
    address: str  # Kind/namespace/name or Kind/name
    span: Span  # first and last line of the object
    images: list[tuple[str, ImageRef]] = field(default_factory=list)  # (container address, ref)
    placements: list[PlacementRef] = field(default_factory=list)
    signals: list[SignalRef] = field(default_factory=list)
    values: list[tuple[str, ValueRef]] = field(default_factory=list)  # (address, value) for egress
    cloud_locations: list[CloudLocationRef] = field(default_factory=list)
    sources: list[tuple[str, ValueRef]] = field(default_factory=list)  # GitOps chart/git/OCI URLs
    ignore: IgnoreAnnotation | None = None

    @property
    def group(self) -> str:
        """The API group ("" for the core group)."""
        return self.api_version.rsplit("/", 1)[0] if "/" in self.api_version else ""


@dataclass
class HelmChart:
    """A Helm chart directory (it has Chart.yaml): its templates are not YAML until rendered."""

    name: str
    path: str  # chart directory (display path)
    span: Span  # Chart.yaml, line 1
    templates: int
    rendered: bool = False
