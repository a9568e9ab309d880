"""The fields the catalog names for an API group and kind (policies/kubernetes.yaml):
images outside pod specs (Tekton steps, Argo templates, operator CRs), regions of cloud
resources declared as objects (Crossplane, ACK, Config Connector, ASO), endpoint values.

Pod specs anywhere in an object are found without an entry (extractor.py); these paths are for
what no generic rule can tell apart. A CustomResourceDefinition is never matched: its kind is
CustomResourceDefinition, whatever group its schema describes.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING

from sovlint.frontends.kubernetes.nodes import Mapping, Node, Scalar, Sequence
from sovlint.frontends.kubernetes.paths import Found, Step, follow, parse_path
from sovlint.model import CloudLocationRef, SignalRef, ValueRef

if TYPE_CHECKING:
    from sovlint.catalog.model import FieldPaths, KubeCatalog
    from sovlint.frontends.kubernetes.extractor import Extractor

# Scalars read under one egress field (an OpenTelemetry config mapping ...): enough for any
# real configuration, and a bound on what a hostile object costs.
MAX_EGRESS_SCALARS = 10_000


@functools.lru_cache(maxsize=1)
def bundled() -> KubeCatalog:
    """The bundled catalog's Kubernetes entries (when the caller passes none)."""
    from sovlint.catalog.load import load_catalog

    return load_catalog().kubernetes


@functools.lru_cache(maxsize=512)
def _steps(text: str) -> tuple[Step, ...]:
    return parse_path(text)


def _find(root: Node, text: str) -> Iterator[Found]:
    return follow(root, _steps(text))


def label(trail: tuple[str, ...]) -> str:
    """`spec/steps/compile` -> `steps/compile` (the address part after the object's)."""
    parts = trail[1:] if len(trail) > 1 and trail[0] == "spec" else trail
    return "/".join(parts)


def dotted(trail: tuple[str, ...]) -> str:
    """`('spec', 'sources', '#0', 'repoURL')` -> `spec.sources[0].repoURL`."""
    out = ""
    for part in trail:
        if part.startswith("#") and part[1:].isdigit():
            out += f"[{part[1:]}]"
        else:
            out += f".{part}" if out else part
    return out


def catalog_fields(ex: Extractor, root: Mapping, kube: KubeCatalog | None) -> None:
    kube = kube if kube is not None else bundled()
    obj = ex.obj
    group, kind = obj.group, obj.kind
    if not group:
        return  # core objects are read by extractor.py

    def fields_of(section: str) -> list[FieldPaths]:
        entries = kube.fields_of(section, group, kind)
        return [e for e in entries if not any(any(_find(root, p)) for p in e.unless)]

    for entry in fields_of("image_locations"):
        for path in entry.containers:
            in_list = _steps(path)[-1].items  # `steps[]`: the trail ends with the item's name
            for found in _find(root, path):
                if isinstance(found.node, Mapping):
                    section = found.trail[-2] if in_list else found.trail[-1]
                    name = found.node.text("name") or found.trail[-1]
                    address = f"{obj.address}/{label(found.trail)}"
                    ex.container_at(address, section, name, found.node)
        for path in entry.images:
            for found in _find(root, path):
                if isinstance(found.node, Scalar):
                    where = label(found.trail)
                    ex.image(f"{obj.address}/{where}", found.trail[-1], where, found.node)
    for entry in fields_of("egress_fields"):
        for path in entry.egress:
            for found in _find(root, path):
                for attribute, scalar in _scalars(found):
                    ex.value(obj.address, attribute, scalar, scalar.line)
    for entry in fields_of("source_fields"):
        for path in entry.sources:
            for found in _find(root, path):
                for attribute, scalar in _scalars(found):
                    source = ValueRef(attribute, scalar.value or "", ex.span(scalar.line))
                    obj.sources.append((obj.address, source))
    for entry in fields_of("signal_fields"):
        for path in entry.signals:
            for found in _find(root, path):
                node = found.node
                if isinstance(node, Scalar) and node.value:
                    key = f"{kind}.{dotted(found.trail)}={node.value}"
                    obj.signals.append(
                        SignalRef("field_value", key, node.value, ex.span(node.line))
                    )
    for entry in fields_of("resource_locations")[:1]:
        for path in entry.locations:
            for found in _find(root, path):
                node = found.node
                if isinstance(node, Scalar) and node.value and entry.provider:
                    ref = CloudLocationRef(
                        dotted(found.trail), node.value, entry.provider, ex.span(node.line)
                    )
                    obj.cloud_locations.append(ref)


def _scalars(found: Found) -> Iterator[tuple[str, Scalar]]:
    """The scalar a path reached, or every scalar value under the mapping or list it reached
    (keys excluded), with a dotted attribute name."""
    stack: list[tuple[Node, tuple[str, ...]]] = [(found.node, found.trail)]
    seen: set[int] = set()
    count = 0
    while stack and count < MAX_EGRESS_SCALARS:
        node, trail = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, Scalar):
            if node.value:
                count += 1
                yield dotted(trail), node
        elif isinstance(node, Mapping):
            stack.extend((c, (*trail, k)) for k, c in reversed(node.entries.items()))
        elif isinstance(node, Sequence):
            stack.extend((c, (*trail, f"#{i}")) for i, c in reversed(list(enumerate(node.items))))
