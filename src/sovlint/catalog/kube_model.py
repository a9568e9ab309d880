"""Typed entries of policies/kubernetes.yaml and the lookups the Kubernetes rules need.

Lookups never guess: a string no entry matches returns None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sovlint.catalog.provenance import Provenance

KUBE_SECTIONS = (
    "provisioners",
    "volume_sources",
    "annotations",
    "labels",
    "node_labels",
    "ingress_classes",
    "ingress_controllers",
    "gateway_classes",
    "gateway_controllers",
    "dns01_solvers",
    "secret_providers",
    "api_groups",
    "field_values",
    "container_flags",
)


@dataclass(frozen=True)
class KubeRule:
    """A Kubernetes string (provisioner, annotation key, API group ...) -> operator."""

    section: str
    match: str  # a glob, or for api_groups the group suffix
    regex: re.Pattern[str]
    operator: str
    provider: str | None
    kinds: tuple[str, ...]
    values: tuple[str, ...]
    note: str
    provenance: Provenance
    specificity: int

    def applies(self, text: str, kind: str | None = None, value: str | None = None) -> bool:
        if self.kinds and kind not in self.kinds:
            return False
        if self.values and value not in self.values:
            return False
        return self.regex.match(text) is not None


@dataclass(frozen=True)
class LocationLabel:
    """A node label key whose values are region or zone names of `providers`."""

    key: str
    level: str  # region | zone
    providers: tuple[str, ...]
    provenance: Provenance


# Sections of kubernetes.yaml that name fields of objects (paths: frontends/kubernetes/paths.py).
KUBE_FIELD_SECTIONS = (
    "image_locations",
    "resource_locations",
    "egress_fields",
    "source_fields",
    "signal_fields",
)


@dataclass(frozen=True)
class FieldPaths:
    """Fields of the objects of an API group: where images live (`containers`: container-shaped
    mappings, `images`: image strings), where a cloud resource's region is written
    (`locations`, judged with `provider`'s region table), or which values are endpoints
    (`egress`), which are GitOps sources (`sources`: chart, Git and OCI repository URLs), or
    which values name a cloud service (`signals`: matched against `field_values` entries as
    `Kind.path=value`). `group` is exact for image_locations and egress_fields, a suffix for
    resource_locations; no `kinds` means every kind of the group."""

    section: str
    group: str
    kinds: tuple[str, ...]
    containers: tuple[str, ...] = ()
    images: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    egress: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    signals: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()  # the entry does not apply to an object that sets one of these
    provider: str | None = None
    note: str = ""
    provenance: Provenance | None = None

    def applies(self, group: str, kind: str) -> bool:
        if self.kinds and kind not in self.kinds:
            return False
        if self.section == "resource_locations":
            return group == self.group or group.endswith(f".{self.group}")
        return group == self.group


@dataclass
class KubeCatalog:
    implicit_registry: str = "docker.io"
    implicit_provenance: Provenance | None = None
    rules: dict[str, list[KubeRule]] = field(default_factory=dict)
    location_labels: dict[str, LocationLabel] = field(default_factory=dict)
    fields: list[FieldPaths] = field(default_factory=list)

    def fields_of(self, section: str, group: str, kind: str) -> list[FieldPaths]:
        """The entries of `section` for objects of this group and kind (most specific first)."""
        found = [f for f in self.fields if f.section == section and f.applies(group, kind)]
        return sorted(found, key=lambda f: -len(f.group))

    def add(self, rule: KubeRule, first: bool = False) -> None:
        """Add an entry; `first` (overrides) wins over an equally specific bundled one."""
        bucket = self.rules.setdefault(rule.section, [])
        if first:
            bucket.insert(0, rule)
        else:
            bucket.append(rule)
        bucket.sort(key=lambda r: -r.specificity)

    def match(
        self, section: str, text: str, kind: str | None = None, value: str | None = None
    ) -> KubeRule | None:
        """The most specific entry of `section` that matches, or None (unknown)."""
        for rule in self.rules.get(section, ()):
            if rule.applies(text, kind, value):
                return rule
        return None


def kube_regex(section: str, pattern: str) -> tuple[re.Pattern[str], int]:
    """A glob (`*` = any characters) or, for api_groups, a group suffix -> regex and specificity."""
    if section == "api_groups":
        return re.compile(rf"^(?:.+\.)?{re.escape(pattern)}$"), len(pattern)
    parts = pattern.split("*")
    regex = "^" + ".*".join(re.escape(p) for p in parts) + "$"
    return re.compile(regex), len(pattern) - pattern.count("*")
