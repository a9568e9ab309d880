"""Helm charts in a Kubernetes scan: a chart is never read as YAML (its templates are Go
templates) except for `crds/`; without `--render helm` it is a HelmChart fact (SOV002) plus
the heuristic reading of its default values; with it, `helm template` output is scanned and
mapped back to the templates."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from sovlint.frontends.kubernetes import mapping
from sovlint.frontends.kubernetes.builder import Builder
from sovlint.frontends.kubernetes.nodes import Mapping
from sovlint.frontends.kubernetes.objects import LineMap, build_object, object_roots
from sovlint.frontends.kubernetes.render import RenderFailed, render_helm
from sovlint.frontends.kubernetes.stream import parse_stream
from sovlint.model import HelmChart, Span

CHART_FILE = "Chart.yaml"


def scan_chart(b: Builder, chart_dir: Path) -> None:
    chart_file = chart_dir / CHART_FILE
    display = b.display(chart_file)
    text = b.source_text(chart_file)
    name, library = _chart_meta(text, chart_dir.name)
    if library:
        return  # a library chart renders nothing by itself
    templates = chart_dir / "templates"
    count = sum(1 for _ in _template_files(templates)) if templates.is_dir() else 0
    chart = HelmChart(name, b.display(chart_dir), Span(display, 1), count)
    b.facts.k8s_charts.append(chart)
    b.touch(display, text)
    if "helm" not in b.options.render:
        chart_values(b, chart_dir, name, text)
        return
    try:
        rendered = render_helm(chart_dir)
    except RenderFailed as exc:
        b.fail(display, 1, f"helm template {chart.path} failed: {exc}")
        return
    chart.rendered = True
    scan_helm_output(b, rendered, chart_dir, chart_file)


def chart_values(b: Builder, chart_dir: Path, name: str, chart_text: str | None) -> None:
    """Unrendered: the heuristic reading of values files and dependencies (helm_values)."""
    from sovlint.frontends.kubernetes.helm_values import (
        chart_object,
        values_files,
        values_object,
    )

    if chart_text is not None:
        docs, _error = parse_stream(chart_text, False)
        if docs and docs[0].root is not None:
            obj = chart_object(name, b.display(chart_dir / CHART_FILE), docs[0].root)
            if obj is not None:
                b.add(obj, chart_text)
    for file in values_files(chart_dir):
        text = b.source_text(file)
        if text is None:
            continue
        docs, error = parse_stream(text, False)
        if error is not None or not docs or docs[0].root is None:
            continue  # helm reports its own values errors; nothing to judge statically
        relative = file.relative_to(chart_dir).as_posix()
        obj = values_object(name, relative, b.display(file), docs[0].root)
        if obj is not None:
            b.add(obj, text)


def scan_helm_output(b: Builder, rendered: str, chart_dir: Path, chart_file: Path) -> None:
    sources = mapping.helm_sources(rendered)
    rendered_lines = rendered.split("\n")
    docs, error = parse_stream(rendered, False)
    chart_display = b.display(chart_file)
    if error is not None:
        b.fail(chart_display, 1, f"helm template output, line {error.line}: {error}")
    indexes: dict[Path, mapping.TemplateIndex | None] = {}
    seen: dict[tuple[str, str], int] = {}
    for doc in docs:
        for root, api, kind in object_roots(doc.root):
            source = sources.get(root.line, "")
            template = chart_dir / source.split("/", 1)[1] if "/" in source else None
            if template is not None and template not in indexes:
                template_text = b.source_text(template)
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
                lines = LineMap(b.display(template), mapped, default)
                text = b.source_text(template)
            obj = build_object(root, api, kind, lines, b.options.kube)
            b.add(obj, text)


def _chart_meta(text: str | None, fallback: str) -> tuple[str, bool]:
    """(chart name, is a library chart) from Chart.yaml; the directory name if unreadable."""
    if text is None:
        return fallback, False
    docs, _error = parse_stream(text, False)
    root = docs[0].root if docs else None
    if not isinstance(root, Mapping):
        return fallback, False
    return root.text("name") or fallback, root.text("type") == "library"


def chart_of(path: Path) -> Path | None:
    """The (resolved) chart whose `templates/` holds this file, checked on disk: a file
    argument inside a chart is found even when Chart.yaml itself was not passed."""
    real = path.resolve()
    for parent in real.parents:
        if parent.name == "templates" and (parent.parent / CHART_FILE).is_file():
            return parent.parent
    return None


def as_given(path: Path, chart: Path) -> Path:
    """The chart directory spelled like the file argument (relative stays relative)."""
    for parent in path.parents:
        try:
            if parent.resolve() == chart:
                return parent
        except OSError:  # pragma: no cover - resolve() of an existing file's parent
            break
    return chart


def in_chart(path: Path, charts: dict[Path, Path]) -> bool:
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
