"""Kubernetes sources -> one FactSet: manifests, Helm charts, Kustomize overlays, stdin.

- Manifests (.yaml, .yml, .json) are read when they mention `apiVersion` and `kind`; files
  without any Kubernetes object are skipped silently. A file that mentions both but cannot be
  read or parsed is SOV001 (fail closed); its objects before the broken document still count.
- A Helm chart (a directory with Chart.yaml) is never read as YAML except for its `crds/`:
  its templates are Go templates. Without `--render helm` each chart is a HelmChart fact
  (SOV002); with it, `helm template` output is scanned and mapped back to the templates.
- Kustomize sources are plain YAML and are scanned as files; a kustomization's `images:`
  overrides become image facts. With `--render kustomize`, each top-level kustomization is
  built and its output scanned instead, mapped back to the source files through origin
  annotations.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sovlint.frontends.kubernetes import mapping
from sovlint.frontends.kubernetes.nodes import (
    Document,
    LoadError,
    Mapping,
    Node,
    Scalar,
    Sequence,
    load_json,
    load_yaml,
)
from sovlint.frontends.kubernetes.objects import (
    LineMap,
    build_object,
    kustomization_object,
    object_roots,
)
from sovlint.frontends.kubernetes.render import (
    RenderFailed,
    render_helm,
    render_kustomize,
    tool_command,
)
from sovlint.model import FactSet, HelmChart, K8sObject, ParseFailure, Span
from sovlint.readfile import DEFAULT_MAX_FILE_SIZE, ReadError, read_text
from sovlint.suppression import Suppression, parse_suppressions

if TYPE_CHECKING:
    from sovlint.cache import Cache
    from sovlint.catalog.model import KubeCatalog

# Cached documents depend on the loader's code, not only on sovlint's version.
_NODES_STAMP = "|".join(
    f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}"
    for p in (Path(__file__).with_name("nodes.py"), Path(__file__))
)

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
CHART_FILE = "Chart.yaml"
STDIN = "<stdin>"
_PEEK = 64 * 1024


@dataclass
class KubeOptions:
    display: Callable[[Path], str]
    render: frozenset[str] = frozenset()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    stdin: str | None = None
    kube: KubeCatalog | None = None  # the catalog's Kubernetes entries (None: the bundled ones)


@dataclass
class KubeUnit:
    facts: FactSet
    files: list[str] = field(default_factory=list)
    suppressions: dict[str, list[Suppression]] = field(default_factory=dict)


def looks_like_manifest(text: str) -> bool:
    return "apiVersion" in text and "kind" in text


_CACHE: list[Cache] = []


def use_cache(cache: Cache | None) -> None:
    """Cache parsed manifests (by content) like parsed Terraform files; None turns it off."""
    _CACHE[:] = [cache] if cache is not None and cache.enabled else []


def parse_stream(text: str, as_json: bool) -> tuple[list[Document], LoadError | None]:
    """The documents of a manifest text, and the error that stopped parsing (if any)."""
    if not _CACHE:
        return _parse_stream(text, as_json)
    from sovlint.frontends.kubernetes.nodes import stream_from_json, stream_to_json

    cache = _CACHE[0]
    key = cache.key("k8s", _NODES_STAMP, "json" if as_json else "yaml", text)
    hit = cache.get("k8s", key)
    if isinstance(hit, dict):
        try:
            return stream_from_json(hit)
        except (KeyError, TypeError, ValueError, IndexError):
            pass  # another shape: parse again and overwrite
    docs, error = _parse_stream(text, as_json)
    cache.put("k8s", key, stream_to_json(docs, error))
    return docs, error


def _parse_stream(text: str, as_json: bool) -> tuple[list[Document], LoadError | None]:
    docs: list[Document] = []
    try:
        if as_json:
            docs.append(load_json(text))
        else:
            docs.extend(load_yaml(text))
    except LoadError as exc:
        return docs, exc
    return docs, None


def annotation_suppression(obj: K8sObject) -> Suppression | None:
    """`sovlint.io/ignore: "SOV200,SOV202 until=2027-01-31 -- reason"` as a suppression that
    covers every finding of the object (their block line is the object's first line)."""
    if obj.ignore is None:
        return None
    value = obj.ignore.value.strip().removeprefix("sovlint:ignore")
    parsed = parse_suppressions(obj.span.file, f"# sovlint:ignore {value}")
    if not parsed:  # pragma: no cover - the comment above always parses to one entry
        return None
    return dataclasses.replace(
        parsed[0], comment_line=obj.ignore.span.line, target_line=obj.span.line
    )


class _Builder:
    def __init__(self, options: KubeOptions) -> None:
        self.options = options
        self.unit = KubeUnit(FactSet(unit="kubernetes"))
        self.parsed: dict[Path, list[Document]] = {}
        self.sources: dict[Path, str | None] = {}  # template and kustomize source texts

    @property
    def facts(self) -> FactSet:
        return self.unit.facts

    def display(self, path: Path) -> str:
        return self.options.display(path)

    def fail(self, file: str, line: int, message: str) -> None:
        self.facts.failures.append(ParseFailure(file, line, message))
        self.touch(file)

    def touch(self, file: str, text: str | None = None) -> None:
        if file not in self.unit.files:
            self.unit.files.append(file)
        if text is not None and file not in self.unit.suppressions:
            self.unit.suppressions[file] = parse_suppressions(file, text)

    def add(self, obj: K8sObject, text: str | None) -> None:
        self.facts.k8s_objects.append(obj)
        self.touch(obj.span.file, text)
        sup = annotation_suppression(obj)
        if sup is not None:
            self.unit.suppressions.setdefault(obj.span.file, []).append(sup)

    # -- reading -------------------------------------------------------------------------
    def read(self, path: Path) -> str | None:
        """The file's text, or None when it is not a manifest (or is SOV001, recorded)."""
        display = self.display(path)
        try:
            text = read_text(path, self.options.max_file_size)
        except ReadError as exc:
            if _peek_is_manifest(path):
                self.fail(display, exc.line, str(exc))
            return None
        return text if looks_like_manifest(text) else None

    def scan_text(self, text: str, display: str, as_json: bool) -> None:
        docs, error = parse_stream(text, as_json)
        if error is not None:
            self.fail(display, error.line, str(error))
            self.touch(display, text)
        lines = LineMap(display)
        for doc in docs:
            for root, api, kind in object_roots(doc.root):
                self.add(build_object(root, api, kind, lines, self.options.kube), text)

    def scan_file(self, path: Path) -> None:
        text = self.read(path)
        if text is None:
            return
        self.scan_text(text, self.display(path), path.suffix.lower() == ".json")

    # -- Helm ----------------------------------------------------------------------------
    def source_text(self, path: Path) -> str | None:
        if path not in self.sources:
            self.sources[path] = _read_quiet(path)
        return self.sources[path]

    def chart(self, chart_dir: Path) -> None:
        chart_file = chart_dir / CHART_FILE
        display = self.display(chart_file)
        text = self.source_text(chart_file)
        name, library = _chart_meta(text, chart_dir.name)
        if library:
            return  # a library chart renders nothing by itself
        templates = chart_dir / "templates"
        count = sum(1 for _ in _template_files(templates)) if templates.is_dir() else 0
        chart = HelmChart(name, self.display(chart_dir), Span(display, 1), count)
        self.facts.k8s_charts.append(chart)
        self.touch(display, text)
        if "helm" not in self.options.render:
            self.chart_values(chart_dir, name, text)
            return
        try:
            rendered = render_helm(chart_dir)
        except RenderFailed as exc:
            self.fail(display, 1, f"helm template {chart.path} failed: {exc}")
            return
        chart.rendered = True
        self.scan_helm_output(rendered, chart_dir, chart_file)

    def chart_values(self, chart_dir: Path, name: str, chart_text: str | None) -> None:
        """Unrendered: the heuristic reading of values files and dependencies (helm_values)."""
        from sovlint.frontends.kubernetes.helm_values import (
            chart_object,
            values_files,
            values_object,
        )

        if chart_text is not None:
            docs, _error = parse_stream(chart_text, False)
            if docs and docs[0].root is not None:
                obj = chart_object(name, self.display(chart_dir / CHART_FILE), docs[0].root)
                if obj is not None:
                    self.add(obj, chart_text)
        for file in values_files(chart_dir):
            text = self.source_text(file)
            if text is None:
                continue
            docs, error = parse_stream(text, False)
            if error is not None or not docs or docs[0].root is None:
                continue  # helm reports its own values errors; nothing to judge statically
            relative = file.relative_to(chart_dir).as_posix()
            obj = values_object(name, relative, self.display(file), docs[0].root)
            if obj is not None:
                self.add(obj, text)

    def scan_helm_output(self, rendered: str, chart_dir: Path, chart_file: Path) -> None:
        sources = mapping.helm_sources(rendered)
        rendered_lines = rendered.split("\n")
        docs, error = parse_stream(rendered, False)
        chart_display = self.display(chart_file)
        if error is not None:
            self.fail(chart_display, 1, f"helm template output, line {error.line}: {error}")
        indexes: dict[Path, mapping.TemplateIndex | None] = {}
        seen: dict[tuple[str, str], int] = {}
        for doc in docs:
            for root, api, kind in object_roots(doc.root):
                source = sources.get(root.line, "")
                template = chart_dir / source.split("/", 1)[1] if "/" in source else None
                if template is not None and template not in indexes:
                    template_text = self.source_text(template)
                    indexes[template] = (
                        mapping.TemplateIndex(template_text) if template_text is not None else None
                    )
                index = indexes.get(template) if template is not None else None
                if template is None or index is None:
                    lines = LineMap(chart_display, {}, 1)
                    text = None
                else:
                    key = (source, kind)
                    nth = seen.get(key, 0)
                    seen[key] = nth + 1
                    mapped, default = mapping.helm_line_map(
                        rendered_lines, root.line, root.end_line, index, nth
                    )
                    lines = LineMap(self.display(template), mapped, default)
                    text = self.source_text(template)
                obj = build_object(root, api, kind, lines, self.options.kube)
                self.add(obj, text)

    # -- Kustomize -----------------------------------------------------------------------
    def kustomizations(self, files: list[Path]) -> set[Path]:
        """Render or statically read each kustomization; the files a render covered."""
        dirs = {f.parent: f for f in files}
        if "kustomize" not in self.options.render:
            for directory, file in sorted(dirs.items()):
                self.kustomization_images(directory, file)
            return set()
        graph = _KustomizeGraph(self)
        for directory in dirs:
            graph.visit(directory)
        covered: set[Path] = set(graph.files)
        for directory in sorted(dirs):
            if directory.resolve() in graph.referenced or graph.is_component(directory):
                continue
            self.render_kustomization(directory, dirs[directory], graph)
        return covered

    def kustomization_images(self, directory: Path, file: Path) -> None:
        text = self.read_any(file)
        if text is None:
            return
        docs, error = parse_stream(text, False)
        if error is not None or not docs or not isinstance(docs[0].root, Mapping):
            return  # kustomize reports its own syntax errors; nothing to judge statically
        obj = kustomization_object(
            self.display(directory), docs[0].root, LineMap(self.display(file))
        )
        if obj is not None:
            self.add(obj, text)

    def read_any(self, path: Path) -> str | None:
        try:
            return read_text(path, self.options.max_file_size)
        except ReadError:
            return None

    def render_kustomization(self, directory: Path, file: Path, graph: _KustomizeGraph) -> None:
        display = self.display(file)
        try:
            rendered, wrapper = render_kustomize(directory)
        except RenderFailed as exc:
            self.fail(display, 1, f"kustomize build {self.display(directory)} failed: {exc}")
            return
        docs, error = parse_stream(rendered, False)
        if error is not None:
            self.fail(display, 1, f"kustomize build output, line {error.line}: {error}")
        for doc in docs:
            for root, api, kind in object_roots(doc.root):
                meta = root.mapping("metadata")
                origin = mapping.origin_path(meta.mapping("annotations") if meta else None)
                lines, text = LineMap(display, {}, 1), None
                if origin and wrapper:
                    source = Path(os.path.normpath(os.path.join(wrapper, origin)))
                    lines, text = self.kustomize_lines(root, kind, source)
                    self.patched_lines(root, kind, graph, lines)
                self.add(build_object(root, api, kind, lines, self.options.kube), text)

    def source_objects(self, source: Path, kind: str) -> list[Mapping]:
        text = self.source_text(source)
        if text is None:
            return []
        if source not in self.parsed:
            self.parsed[source] = parse_stream(text, source.suffix.lower() == ".json")[0]
        return [
            r for doc in self.parsed[source] for r, _api, k in object_roots(doc.root) if k == kind
        ]

    def patched_lines(
        self, root: Mapping, kind: str, graph: _KustomizeGraph, lines: LineMap
    ) -> None:
        """Fields a patch file sets are reported in the patch, and images an `images:` override
        renamed at the override's newName line, not in the base."""
        for node in _image_nodes(root):
            image = node.value or ""
            for file, line, new_name in graph.image_overrides:
                if image == new_name or image.startswith((f"{new_name}:", f"{new_name}@")):
                    lines.elsewhere[node.line] = (self.display(file), line)
                    self.touch(self.display(file), self.source_text(file))
        meta = root.mapping("metadata")
        name = meta.text("name") if meta else None
        for patch in graph.patches:
            match = _best_match(self.source_objects(patch, kind), name, exact_only=True)
            if match is None:
                continue
            display = self.display(patch)
            for rendered, line in mapping.pair_lines(root, match, leaves_only=True).items():
                lines.elsewhere[rendered] = (display, line)
            self.touch(display, self.source_text(patch))

    def kustomize_lines(self, root: Mapping, kind: str, source: Path) -> tuple[LineMap, str | None]:
        display = self.display(source)
        text = self.source_text(source)
        if text is None:
            return LineMap(display, {}, 1), None
        meta = root.mapping("metadata")
        name = meta.text("name") if meta else None
        match = _best_match(self.source_objects(source, kind), name)
        if match is None:
            return LineMap(display, {}, 1), text
        return LineMap(display, mapping.pair_lines(root, match), match.line), text

    # -- everything ----------------------------------------------------------------------
    def run(self, paths: Iterable[Path]) -> KubeUnit:
        for kind in sorted(self.options.render):
            tool_command(kind)  # RenderToolMissing before any work
        manifests: list[Path] = []
        charts: dict[Path, Path] = {}  # resolved chart directory -> as given
        kustomization_files: list[Path] = []
        for path in paths:
            if path.name == CHART_FILE:
                charts.setdefault(path.parent.resolve(), path.parent)
            elif path.name in KUSTOMIZATION_NAMES:
                kustomization_files.append(path)
            elif path.suffix.lower() in MANIFEST_SUFFIXES:
                manifests.append(path)
        for path in manifests:
            owner = _chart_of(path)
            if owner is not None:
                charts.setdefault(owner, _as_given(path, owner))
        for real, chart_dir in sorted(charts.items()):
            if not any(parent in charts for parent in real.parents):
                self.chart(chart_dir)  # subcharts render with their parent
        covered = self.kustomizations(kustomization_files)
        for path in manifests:
            if _in_chart(path, charts) or path.resolve() in covered:
                continue
            self.scan_file(path)
        if self.options.stdin is not None:
            text = self.options.stdin
            as_json = text.lstrip().startswith(("{", "["))
            self.scan_text(text, STDIN, as_json)
            self.touch(STDIN, text)
        return self.unit


class _KustomizeGraph:
    """Which kustomizations reference which directories and files (for --render kustomize)."""

    def __init__(self, builder: _Builder) -> None:
        self.builder = builder
        self.referenced: set[Path] = set()
        self.files: set[Path] = set()
        self.visited: set[Path] = set()
        self.components: set[Path] = set()
        self.patches: list[Path] = []
        self.image_overrides: list[tuple[Path, int, str]] = []  # (kustomization, line, newName)

    def is_component(self, directory: Path) -> bool:
        return directory.resolve() in self.components

    def visit(self, directory: Path) -> None:
        real = directory.resolve()
        if real in self.visited:
            return
        self.visited.add(real)
        file = next((directory / n for n in KUSTOMIZATION_NAMES if (directory / n).is_file()), None)
        if file is None:
            return
        self.files.add(file.resolve())
        text = self.builder.read_any(file)
        docs = parse_stream(text, False)[0] if text else []
        root = docs[0].root if docs else None
        if not isinstance(root, Mapping):
            return
        if root.text("kind") == "Component":
            self.components.add(real)
        images = root.sequence("images")
        for item in images.items if images is not None else ():
            if isinstance(item, Mapping) and item.text("newName"):
                new_name = str(item.text("newName"))
                self.image_overrides.append((file, item.line_of("newName"), new_name))
        for entry, is_patch in _references(root):
            if "://" in entry or entry.startswith(("github.com/", "gitlab.com/", "git@")):
                continue
            target = directory / entry
            if target.is_dir():
                self.referenced.add(target.resolve())
                self.visit(target)
            elif target.is_file():
                self.files.add(target.resolve())
                if is_patch:
                    self.patches.append(Path(os.path.normpath(target)))


def _references(root: Mapping) -> Iterable[tuple[str, bool]]:
    """(path, is a strategic-merge patch) of every local file or directory a kustomization uses."""
    for key in ("resources", "bases", "components", "patchesStrategicMerge", "crds"):
        seq = root.sequence(key)
        for item in seq.items if seq is not None else ():
            text = getattr(item, "value", None)
            if isinstance(text, str) and text.strip():
                yield text.strip(), key == "patchesStrategicMerge"
    for key in ("patches", "patchesJson6902"):
        seq = root.sequence(key)
        for item in seq.items if seq is not None else ():
            if isinstance(item, Mapping) and item.text("path"):
                yield str(item.text("path")), key == "patches"


def _image_nodes(root: Mapping) -> Iterable[Scalar]:
    """Every `image:` scalar of containers in a rendered object."""
    stack: list[Node] = [root]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, Mapping):
            image = node.get("image")
            if isinstance(image, Scalar) and "name" in node.entries:
                yield image
            stack.extend(node.entries.values())
        elif isinstance(node, Sequence):
            stack.extend(node.items)


def _best_match(
    candidates: list[Mapping], name: str | None, exact_only: bool = False
) -> Mapping | None:
    """The source object a rendered one comes from: same name, else the one whose name the
    rendered name contains (namePrefix/nameSuffix), else the only candidate."""
    if not candidates:
        return None
    names = {
        id(c): (c.mapping("metadata").text("name") if c.mapping("metadata") else None)  # type: ignore[union-attr]
        for c in candidates
    }
    if name:
        exact = [c for c in candidates if names[id(c)] == name]
        if exact:
            return exact[0]
        affixed = [c for c in candidates if names[id(c)] and str(names[id(c)]) in name]
        if len(affixed) == 1:
            return affixed[0]
    if exact_only:
        return None
    return candidates[0] if len(candidates) == 1 else None


def _chart_meta(text: str | None, fallback: str) -> tuple[str, bool]:
    """(chart name, is a library chart) from Chart.yaml; the directory name if unreadable."""
    if text is None:
        return fallback, False
    docs, _error = parse_stream(text, False)
    root = docs[0].root if docs else None
    if not isinstance(root, Mapping):
        return fallback, False
    return root.text("name") or fallback, root.text("type") == "library"


def _chart_of(path: Path) -> Path | None:
    """The (resolved) chart whose `templates/` holds this file, checked on disk: a file
    argument inside a chart is found even when Chart.yaml itself was not passed."""
    real = path.resolve()
    for parent in real.parents:
        if parent.name == "templates" and (parent.parent / CHART_FILE).is_file():
            return parent.parent
    return None


def _as_given(path: Path, chart: Path) -> Path:
    """The chart directory spelled like the file argument (relative stays relative)."""
    for parent in path.parents:
        try:
            if parent.resolve() == chart:
                return parent
        except OSError:  # pragma: no cover - resolve() of an existing file's parent
            break
    return chart


def _in_chart(path: Path, charts: dict[Path, Path]) -> bool:
    """Inside a chart, only `crds/` holds plain manifests; the rest is templates and values."""
    real = path.resolve()
    for parent in real.parents:
        if parent in charts:
            rel = real.relative_to(parent).parts
            return not (len(rel) > 1 and rel[0] == "crds")
    return False


def _template_files(templates: Path) -> Iterable[Path]:
    for dirpath, _dirs, names in os.walk(templates):
        for name in names:
            if not name.startswith("_") and name.endswith((".yaml", ".yml", ".json", ".tpl")):
                yield Path(dirpath) / name


def _read_quiet(path: Path) -> str | None:
    try:
        return read_text(path)
    except ReadError:
        return None


def _peek_is_manifest(path: Path) -> bool:
    """For a file that cannot be read as text: does its start mention apiVersion and kind?

    A file that cannot be opened, or is not a regular file (FIFO, socket, broken link), cannot
    be told apart from a manifest: it counts as one (SOV001), failing closed, not silently."""
    try:
        if not os.path.isfile(path):
            return True
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            head = fh.read(_PEEK)
    except OSError:
        return True
    return b"apiVersion" in head and b"kind" in head


def scan(paths: Iterable[Path], options: KubeOptions) -> KubeUnit:
    return _Builder(options).run(paths)
