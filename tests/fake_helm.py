"""A stand-in for `helm template`, for machines without Helm (no Debian 12 package, no Linux
binary on PyPI). It renders the tiny template subset the helm-chart fixture uses
(`.Values.x`, `| quote`, `.Release.Name`, `.Chart.Name`, `if .Values.x` ... `end`) and prints
what helm prints: each document after `---` and a `# Source: CHART/templates/FILE` line,
subcharts under `CHART/charts/SUB/templates/`. Tests that need real Helm use real Helm.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

import yaml

_EXPR = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}")
_IF = re.compile(r"^\s*\{\{-?\s*if\s+\.Values\.([\w.]+)\s*-?\}\}\s*$")
_END = re.compile(r"^\s*\{\{-?\s*end\s*-?\}\}\s*$")


def lookup(values: dict[str, Any], dotted: str) -> Any:
    node: Any = values
    for part in dotted.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def render(text: str, values: dict[str, Any], release: str, chart: str) -> str:
    out: list[str] = []
    skipping: list[bool] = []

    def expr(match: re.Match[str]) -> str:
        body = match.group(1)
        quote = body.endswith("| quote")
        body = body.removesuffix("| quote").strip()
        if body == ".Release.Name":
            value: Any = release
        elif body == ".Chart.Name":
            value = chart
        elif body.startswith(".Values."):
            value = lookup(values, body[len(".Values.") :])
        else:
            sys.stderr.write(f"Error: fake helm cannot render {{{{ {body} }}}}\n")
            raise SystemExit(1)
        return json.dumps(str(value)) if quote else str(value)

    for line in text.split("\n"):
        m = _IF.match(line)
        if m:
            skipping.append(not lookup(values, m.group(1)))
            continue
        if _END.match(line):
            skipping.pop()
            continue
        if not any(skipping):
            out.append(_EXPR.sub(expr, line))
    return "\n".join(out)


def chart_documents(chart_dir: Path, prefix: str, release: str) -> list[tuple[str, str]]:
    meta = yaml.safe_load((chart_dir / "Chart.yaml").read_text())
    values_file = chart_dir / "values.yaml"
    values = yaml.safe_load(values_file.read_text()) if values_file.is_file() else {}
    name = meta["name"]
    docs = []
    for template in sorted((chart_dir / "templates").glob("*.yaml")):
        if template.name.startswith("_"):
            continue
        rendered = render(template.read_text(), values or {}, release, name)
        for doc in re.split(r"^---\s*$", rendered, flags=re.M):
            if doc.strip():
                docs.append((f"{prefix}{name}/templates/{template.name}", doc.strip("\n")))
    subcharts = chart_dir / "charts"
    if subcharts.is_dir():
        for sub in sorted(p for p in subcharts.iterdir() if (p / "Chart.yaml").is_file()):
            docs.extend(chart_documents(sub, f"{prefix}{name}/charts/", release))
    return docs


def main(argv: list[str]) -> int:
    if argv[:1] != ["template"] or len(argv) != 3:
        sys.stderr.write("Error: fake helm only knows `template RELEASE CHART`\n")
        return 2
    delay = os.environ.get("FAKE_HELM_SLEEP")
    if delay:
        time.sleep(float(delay))
    release, chart = argv[1], Path(argv[2])
    meta = yaml.safe_load((chart / "Chart.yaml").read_text())
    if meta.get("name") == "broken":
        sys.stderr.write(
            'Error: parse error at (broken/templates/cm.yaml:3): function "nope" not defined\n'
        )
        return 1
    for source, doc in chart_documents(chart, "", release):
        sys.stdout.write(f"---\n# Source: {source}\n{doc}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
