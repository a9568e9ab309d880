"""A large valid file is scanned, not refused: 100,000 lines of Terraform, read and judged.

Parsing is python-hcl2's (lark), about 4,000 lines a second on one core: this is the slowest
test of the suite (~25 s on the reference 2-core machine). The timeout only detects a hang.
"""

from __future__ import annotations

import json
from pathlib import Path

from hostile_util import assert_fail_closed_stderr, cli

LINES = 100_000
BLOCK = (
    'resource "ovh_cloud_project_instance" "i{n}" {{\n'
    '  region = "GRA11"\n'
    '  name   = "n{n}"\n'
    '  flavor = "b2-7"\n'
    '  tags   = ["a", "b"]\n'
    "}}\n"
    "\n"
)


def test_hundred_thousand_line_file_is_scanned(tmp_path: Path) -> None:
    count = LINES // BLOCK.count("\n") + 1
    text = 'provider "ovh" {\n  endpoint = "ovh-eu"\n}\n' + "".join(
        BLOCK.format(n=n) for n in range(count)
    )
    assert text.count("\n") >= LINES
    (tmp_path / "main.tf").write_text(text)
    (tmp_path / "aws.tf").write_text(
        'resource "aws_s3_bucket" "last" {\n  bucket = "x"\n}\n'
    )  # findings, so a silently empty scan cannot pass
    proc = cli(
        ["scan", ".", "-f", "json", "-o", "report.json", "--no-cache", "--jobs", "2"],
        tmp_path,
        timeout=600,
    )
    assert_fail_closed_stderr(proc.stderr)
    report = json.loads((tmp_path / "report.json").read_text())
    assert [(f["rule_id"], f["file"]) for f in report["findings"]] == [
        ("SOV101", "aws.tf"),
        ("SOV104", "aws.tf"),  # no provider block: the region comes from the environment
    ]
    instances = [
        i for i in report["inventory"] if i["address"].startswith("ovh_cloud_project_instance.")
    ]
    assert len(instances) == count
    assert proc.returncode == 1
