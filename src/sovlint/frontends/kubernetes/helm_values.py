"""An unrendered Helm chart's own data, read as a heuristic (`--render helm` is the exact path):

- image-like values in the chart's `values*.yaml` (and its unpacked subcharts'): a mapping
  under a key `image` (or `*Image`) with `repository` (and `registry`, `tag`, `digest`), as
  Bitnami-style and `helm create` charts write them, or a string under such a key;
- `Chart.yaml` dependency repositories (judged as GitOps sources, SOV205).

Limits, stated to users (README, docs/rules.md): only the chart's default values are read;
values a release sets (`-f`, `--set`, an Argo CD or Flux values block), `global.imageRegistry`
overrides and templates that build image names differently are not seen. A value that is
itself a template (`{{ ... }}`) is not a literal: unknown, never passed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sovlint.frontends.kubernetes.fields import dotted
from sovlint.frontends.kubernetes.nodes import Mapping, Node, Scalar, Sequence
from sovlint.frontends.kubernetes.objects import LineMap
from sovlint.model import ImageRef, K8sObject, ValueRef

VALUES_GLOB = "values*.yaml"
MAX_VALUES_DEPTH = 12


def values_files(chart_dir: Path) -> list[Path]:
    """The chart's values files and those of its unpacked subcharts (charts/<name>/)."""
    found = sorted(p for p in chart_dir.glob(VALUES_GLOB) if p.is_file())
    charts = chart_dir / "charts"
    if charts.is_dir():
        for sub in sorted(charts.iterdir()):
            if sub.is_dir() and (sub / "Chart.yaml").is_file():
                found.extend(values_files(sub))
    return found


def _is_image_key(key: str) -> bool:
    return key == "image" or key.endswith("Image")


def image_values(root: Node) -> Iterator[tuple[str, str, int]]:
    """(dotted path, image reference, line) of every image-like value."""
    stack: list[tuple[Node, tuple[str, ...]]] = [(root, ())]
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        if id(node) in seen or len(path) > MAX_VALUES_DEPTH:
            continue
        seen.add(id(node))
        if isinstance(node, Sequence):
            stack.extend((c, (*path, f"#{i}")) for i, c in reversed(list(enumerate(node.items))))
            continue
        if not isinstance(node, Mapping):
            continue
        for key, child in node.entries.items():
            where = (*path, key)
            if _is_image_key(key) and isinstance(child, Scalar) and child.value:
                yield dotted(where), child.value.strip(), child.line
            elif _is_image_key(key) and isinstance(child, Mapping) and child.text("repository"):
                yield dotted(where), _compose(child), child.get("repository").line  # type: ignore[union-attr]
            else:
                stack.append((child, where))


def _compose(image: Mapping) -> str:
    repository = (image.text("repository") or "").strip()
    registry = (image.text("registry") or "").strip().rstrip("/")
    ref = f"{registry}/{repository}" if registry else repository
    digest, tag = image.text("digest"), image.text("tag")
    if digest:
        return f"{ref}@{digest.strip()}"
    return f"{ref}:{tag.strip()}" if tag and tag.strip() else ref


def values_object(chart: str, relative: str, display: str, root: Node) -> K8sObject | None:
    """The image-like values of one values file, as an object `HelmValues/<chart>/<file>`
    (`relative`: the file's path inside the chart, `charts/redis/values.yaml` for a subchart)."""
    lines = LineMap(display)
    name = f"{chart}/{relative}"
    obj = K8sObject("helm.sh/v3", "HelmValues", name, None, f"HelmValues/{name}", lines.span(1))
    for path, image, line in image_values(root):
        ref = ImageRef(path, "values", image, lines.span(line))
        obj.images.append((f"{obj.address}/{path}", ref))
    return obj if obj.images else None


def chart_object(chart: str, display: str, root: Node) -> K8sObject | None:
    """`Chart.yaml` dependencies' repositories, as an object `HelmChart/<chart>`."""
    if not isinstance(root, Mapping):
        return None
    lines = LineMap(display)
    obj = K8sObject("helm.sh/v3", "HelmChart", chart, None, f"HelmChart/{chart}", lines.span(1))
    deps = root.sequence("dependencies")
    for index, dep in enumerate(deps.items if deps is not None else ()):
        if not isinstance(dep, Mapping):
            continue
        repo = dep.get("repository")
        if isinstance(repo, Scalar) and repo.value:
            label = dep.text("name") or f"#{index}"
            ref = ValueRef(f"dependency {label} repository", repo.value, lines.span(repo.line))
            obj.sources.append((obj.address, ref))
    return obj if obj.sources else None
