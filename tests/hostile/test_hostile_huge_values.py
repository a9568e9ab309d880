"""One-megabyte string values (a PR can paste anything into a value): scanned in bounded time.

The timeout is a generous hang guard, not a speed assertion (bench/linear.py measures the
cost from 10 kB to 1 MB and checks it grows linearly). Each value ends with a real egress
host, so a scan that gave up on the value cannot pass.
"""

from __future__ import annotations

import json
from pathlib import Path

from hostile_util import assert_fail_closed_stderr, cli

SIZE = 1_000_000
# Shapes that made the old extractor rescan the rest of the string at every position
FILLERS = {
    "letters": "a",
    "labels": "a.",
    "keys": "k: ",
    "assignments": "k=v;",
    "urls": "https://a.b/ ",
}


def _filler() -> str:
    share = SIZE // len(FILLERS)
    return "".join(unit * (share // len(unit)) for unit in FILLERS.values())


def test_megabyte_terraform_value(tmp_path: Path) -> None:
    value = _filler() + " endpoint=api.openai.com"
    assert len(value) >= SIZE * 0.99
    (tmp_path / "main.tf").write_text(
        'resource "ovh_cloud_project_instance" "i" {\n'
        '  region = "GRA11"\n'
        f'  user_data = "{value}"\n'
        "}\n"
    )
    proc = cli(["scan", ".", "-f", "json", "--no-cache", "--jobs", "1"], tmp_path, timeout=240)
    assert_fail_closed_stderr(proc.stderr)
    findings = json.loads(proc.stdout)["findings"]
    assert ("SOV203", 3) in {(f["rule_id"], f["line"]) for f in findings}
    assert "api.openai.com" in " ".join(f["message"] for f in findings)


def test_megabyte_configmap_value(tmp_path: Path) -> None:
    body = "".join(f"    k{i}: v{i}.x\n" for i in range(SIZE // 12))
    (tmp_path / "cm.yaml").write_text(
        "apiVersion: v1\n"
        "kind: ConfigMap\n"
        "metadata:\n"
        "  name: c\n"
        "data:\n"
        "  agent.yaml: |\n" + body + "    site: datadoghq.com\n"
    )
    proc = cli(["scan", ".", "-f", "json", "--no-cache", "--jobs", "1"], tmp_path, timeout=240)
    assert_fail_closed_stderr(proc.stderr)
    findings = json.loads(proc.stdout)["findings"]
    assert any(f["rule_id"] == "SOV203" and "datadoghq.com" in f["message"] for f in findings)
