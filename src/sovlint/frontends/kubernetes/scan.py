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

from collections.abc import Iterable
from pathlib import Path

from sovlint.frontends.kubernetes.builder import Builder, KubeOptions, KubeUnit
from sovlint.frontends.kubernetes.helm_charts import (
    CHART_FILE,
    as_given,
    chart_of,
    in_chart,
    scan_chart,
)
from sovlint.frontends.kubernetes.kustomize import KUSTOMIZATION_NAMES, kustomizations
from sovlint.frontends.kubernetes.render import tool_command

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
STDIN = "<stdin>"


def scan(paths: Iterable[Path], options: KubeOptions) -> KubeUnit:
    b = Builder(options)
    for kind in sorted(options.render):
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
        owner = chart_of(path)
        if owner is not None:
            charts.setdefault(owner, as_given(path, owner))
    for real, chart_dir in sorted(charts.items()):
        if not any(parent in charts for parent in real.parents):
            scan_chart(b, chart_dir)  # subcharts render with their parent
    covered = kustomizations(b, kustomization_files)
    for path in manifests:
        if in_chart(path, charts) or path.resolve() in covered:
            continue
        b.scan_file(path)
    if options.stdin is not None:
        text = options.stdin
        as_json = text.lstrip().startswith(("{", "["))
        b.scan_text(text, STDIN, as_json)
        b.touch(STDIN, text)
    return b.unit
