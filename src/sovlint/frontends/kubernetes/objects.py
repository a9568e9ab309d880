"""Kubernetes objects -> facts: images, placements, cloud-integration signals, egress values.

The frontend only extracts what is written, with the line of the node that carries it
(the walk is extractor.py); what an annotation key, a provisioner or an API group means is
the catalog's business (policies/kubernetes.yaml), applied by the rules.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sovlint.frontends.kubernetes.extractor import Extractor
from sovlint.frontends.kubernetes.nodes import Mapping, Node
from sovlint.model import ImageRef, K8sObject, SignalRef, Span

if TYPE_CHECKING:
    from sovlint.catalog.model import KubeCatalog

# Files with apiVersion/kind that describe tools, not cluster objects.
_TOOL_GROUPS = ("kustomize.config.k8s.io",)
_MAX_LIST_NESTING = 4


@dataclass
class LineMap:
    """Where the lines of a parsed text really are: identity for a file on disk; for rendered
    output (helm, kustomize), the source file and a map from rendered line to source line.
    `elsewhere` maps rendered lines that another file wrote (a kustomize patch) to it."""

    file: str
    lines: dict[int, int] = field(default_factory=dict)
    default: int = 0  # rendered lines with no known source line go here (0: identity)
    elsewhere: dict[int, tuple[str, int]] = field(default_factory=dict)

    def line(self, line: int) -> int:
        if not self.lines and not self.default:
            return line
        return self.lines.get(line, self.default or 1)

    def span(self, line: int, end_line: int = 0) -> Span:
        if line in self.elsewhere:
            file, mapped = self.elsewhere[line]
            return Span(file, mapped, mapped)
        start = self.line(line)
        end = self.line(end_line) if end_line else start
        return Span(self.file, start, end if end >= start else start)


def object_roots(root: Node | None, depth: int = 0) -> Iterator[tuple[Mapping, str, str]]:
    """(mapping, apiVersion, kind) of every Kubernetes object in a document.

    An object has string `apiVersion` and `kind`; `kind: List` and `<Kind>List` wrappers yield
    their items (typed lists' items may leave apiVersion/kind out). Anything else is not a
    Kubernetes object and yields nothing (values.yaml, Chart.yaml, CI configs, OpenAPI ...).
    """
    if not isinstance(root, Mapping):
        return
    api, kind = root.text("apiVersion"), root.text("kind")
    if not api or not kind:
        return
    items = root.sequence("items")
    if kind.endswith("List") and items is not None and depth < _MAX_LIST_NESTING:
        item_kind = kind[: -len("List")] if kind != "List" else None
        for item in items.items:
            if not isinstance(item, Mapping):
                continue
            if item.text("apiVersion") and item.text("kind"):
                yield from object_roots(item, depth + 1)
            elif item_kind:
                yield item, item.text("apiVersion") or api, item.text("kind") or item_kind
        return
    if api.rsplit("/", 1)[0] in _TOOL_GROUPS or (api == "v1" and kind == "Config"):
        return  # a kustomization or a kubeconfig: tool configuration, not a cluster object
    yield root, api, kind


def address_of(kind: str, namespace: str | None, name: str | None) -> str:
    label = name or "(unnamed)"
    return f"{kind}/{namespace}/{label}" if namespace else f"{kind}/{label}"


def build_object(
    root: Mapping, api_version: str, kind: str, lines: LineMap, kube: KubeCatalog | None = None
) -> K8sObject:
    meta = root.mapping("metadata")
    name = meta.text("name") if meta is not None else None
    if not name and meta is not None and meta.text("generateName"):
        name = f"{meta.text('generateName')}*"
    namespace = meta.text("namespace") if meta is not None else None
    obj = K8sObject(
        api_version=api_version,
        kind=kind,
        name=name,
        namespace=namespace,
        address=address_of(kind, namespace, name),
        span=lines.span(root.line, root.end_line),
    )
    ex = Extractor(obj, lines)
    if obj.group:
        obj.signals.append(
            SignalRef("api_group", obj.group, api_version, ex.span(root.line_of("apiVersion")))
        )
    ex.metadata(meta, "")
    ex.kind_fields(root)
    ex.config_data(root)
    ex.walk(root, ())
    from sovlint.frontends.kubernetes.fields import catalog_fields

    catalog_fields(ex, root, kube)
    return obj


def kustomization_object(directory: str, root: Mapping, lines: LineMap) -> K8sObject | None:
    """A kustomization's `images:` overrides (newName) as image facts, for unrendered scans."""
    images = root.sequence("images")
    if images is None:
        return None
    address = f"Kustomization/{directory}"
    obj = K8sObject(
        api_version=root.text("apiVersion") or "kustomize.config.k8s.io/v1beta1",
        kind="Kustomization",
        name=directory,
        namespace=None,
        address=address,
        span=lines.span(root.line, root.end_line),
    )
    for item in images.items:
        if not isinstance(item, Mapping):
            continue
        new_name = item.text("newName")
        if not new_name:
            continue
        name = item.text("name") or new_name
        tag = item.text("newTag")
        image = f"{new_name}:{tag}" if tag else new_name
        span = lines.span(item.line_of("newName"))
        obj.images.append((f"{address}/images/{name}", ImageRef(name, "images", image, span)))
    return obj if obj.images else None
