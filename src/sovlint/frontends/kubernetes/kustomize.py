"""Kustomize in a Kubernetes scan: without `--render kustomize`, a kustomization's `images:`
overrides become image facts (its sources are plain YAML, scanned as files); with it, each
top-level kustomization is built and its output scanned, mapped back to the source files
through origin annotations, patches and image overrides."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from sovlint.frontends.kubernetes import mapping
from sovlint.frontends.kubernetes.builder import Builder
from sovlint.frontends.kubernetes.nodes import Mapping, Node, Scalar, Sequence
from sovlint.frontends.kubernetes.objects import (
    LineMap,
    build_object,
    kustomization_object,
    object_roots,
)
from sovlint.frontends.kubernetes.render import RenderFailed, render_kustomize
from sovlint.frontends.kubernetes.stream import parse_stream

KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")


def kustomizations(b: Builder, files: list[Path]) -> set[Path]:
    """Render or statically read each kustomization; the files a render covered."""
    dirs = {f.parent: f for f in files}
    if "kustomize" not in b.options.render:
        for directory, file in sorted(dirs.items()):
            kustomization_images(b, directory, file)
        return set()
    graph = KustomizeGraph(b)
    for directory in dirs:
        graph.visit(directory)
    covered: set[Path] = set(graph.files)
    for directory in sorted(dirs):
        if directory.resolve() in graph.referenced or graph.is_component(directory):
            continue
        render_kustomization(b, directory, dirs[directory], graph)
    return covered


def kustomization_images(b: Builder, directory: Path, file: Path) -> None:
    text = b.read_any(file)
    if text is None:
        return
    docs, error = parse_stream(text, False)
    if error is not None or not docs or not isinstance(docs[0].root, Mapping):
        return  # kustomize reports its own syntax errors; nothing to judge statically
    obj = kustomization_object(b.display(directory), docs[0].root, LineMap(b.display(file)))
    if obj is not None:
        b.add(obj, text)


def render_kustomization(b: Builder, directory: Path, file: Path, graph: KustomizeGraph) -> None:
    display = b.display(file)
    try:
        rendered, wrapper = render_kustomize(directory)
    except RenderFailed as exc:
        b.fail(display, 1, f"kustomize build {b.display(directory)} failed: {exc}")
        return
    docs, error = parse_stream(rendered, False)
    if error is not None:
        b.fail(display, 1, f"kustomize build output, line {error.line}: {error}")
    for doc in docs:
        for root, api, kind in object_roots(doc.root):
            meta = root.mapping("metadata")
            origin = mapping.origin_path(meta.mapping("annotations") if meta else None)
            lines, text = LineMap(display, {}, 1), None
            if origin and wrapper:
                source = Path(os.path.normpath(os.path.join(wrapper, origin)))
                lines, text = kustomize_lines(b, root, kind, source)
                patched_lines(b, root, kind, graph, lines)
            b.add(build_object(root, api, kind, lines, b.options.kube), text)


def patched_lines(
    b: Builder, root: Mapping, kind: str, graph: KustomizeGraph, lines: LineMap
) -> None:
    """Fields a patch file sets are reported in the patch, and images an `images:` override
    renamed at the override's newName line, not in the base."""
    for node in _image_nodes(root):
        image = node.value or ""
        for file, line, new_name in graph.image_overrides:
            if image == new_name or image.startswith((f"{new_name}:", f"{new_name}@")):
                lines.elsewhere[node.line] = (b.display(file), line)
                b.touch(b.display(file), b.source_text(file))
    meta = root.mapping("metadata")
    name = meta.text("name") if meta else None
    for patch in graph.patches:
        match = _best_match(b.source_objects(patch, kind), name, exact_only=True)
        if match is None:
            continue
        display = b.display(patch)
        for rendered, line in mapping.pair_lines(root, match, leaves_only=True).items():
            lines.elsewhere[rendered] = (display, line)
        b.touch(display, b.source_text(patch))


def kustomize_lines(
    b: Builder, root: Mapping, kind: str, source: Path
) -> tuple[LineMap, str | None]:
    display = b.display(source)
    text = b.source_text(source)
    if text is None:
        return LineMap(display, {}, 1), None
    meta = root.mapping("metadata")
    name = meta.text("name") if meta else None
    match = _best_match(b.source_objects(source, kind), name)
    if match is None:
        return LineMap(display, {}, 1), text
    return LineMap(display, mapping.pair_lines(root, match), match.line), text


class KustomizeGraph:
    """Which kustomizations reference which directories and files (for --render kustomize)."""

    def __init__(self, builder: Builder) -> None:
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
