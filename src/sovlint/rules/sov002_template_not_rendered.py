"""SOV002 template-not-rendered: a Helm chart whose templates were not checked."""

from __future__ import annotations

from collections.abc import Iterator

from sovlint.model import Finding, Severity, WorkloadFacts
from sovlint.rules.base import Context, RuleMeta

RULE = RuleMeta(
    id="SOV002",
    name="template-not-rendered",
    title="Helm chart not rendered, its templates were not checked",
    severity=Severity.INFO,
    rationale=(
        "Helm templates are Go templates, not YAML: what they deploy (images, annotations, "
        "node selectors) is only known once rendered with their values. sovlint never runs a "
        "tool on its own, so without --render helm a chart is reported as not checked rather "
        "than silently passed or reported as broken YAML."
    ),
    fix="Run `sovlint scan --render helm` with Helm 3 on PATH (it runs `helm template` on each chart), or scan the output of `helm template` through `sovlint scan -`.",
    frameworks=("kubernetes",),
    reads=("k8s_charts",),
)


def check(facts: WorkloadFacts, ctx: Context) -> Iterator[Finding]:
    for chart in facts.k8s_charts:
        if chart.rendered:
            continue
        files = "file" if chart.templates == 1 else "files"
        yield ctx.finding(
            RULE,
            chart.span,
            chart.path,
            f"Helm chart {chart.name} ({chart.path}) is not rendered: its {chart.templates} "
            f"template {files} were not checked",
            None,
        )
