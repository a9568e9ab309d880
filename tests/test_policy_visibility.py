"""Policy changes a repository makes (disable, exclude, severities, far suppressions) are stated."""

from __future__ import annotations

import json
from pathlib import Path

from sovtest import run_cli

TF = (
    'resource "aws_s3_bucket" "a" { # sovlint:ignore SOV101 until=9999-12-31 -- forever\n'
    '  bucket = "x"\n'
    "}\n"
    'resource "aws_s3_bucket" "b" {\n'
    '  bucket = "y"\n'
    "}\n"
)


def _repo(tmp_path: Path) -> Path:
    (tmp_path / "main.tf").write_text(TF)
    (tmp_path / ".sovlint.yaml").write_text("disable: [SOV100]\nexclude: ['vendor/**']\n")
    return tmp_path


def test_text_summary_states_every_policy_change(tmp_path: Path) -> None:
    proc = run_cli(["scan", ".", "--no-cache"], cwd=_repo(tmp_path))
    policy = [line for line in proc.stdout.splitlines() if line.startswith("policy: ")]
    assert any("rules disabled" in p and "SOV100" in p and ".sovlint.yaml" in p for p in policy)
    assert any("paths excluded" in p and "vendor/**" in p for p in policy)
    assert any("more than 365 days" in p and "main.tf:1 until 9999-12-31" in p for p in policy)


def test_json_report_policy_block(tmp_path: Path) -> None:
    proc = run_cli(["scan", ".", "--no-cache", "-f", "json"], cwd=_repo(tmp_path))
    policy = json.loads(proc.stdout)["policy"]
    [disabled] = policy["disabled_rules"]
    assert disabled["rule"] == "SOV100" and disabled["defined_in"].endswith(".sovlint.yaml")
    assert [e["glob"] for e in policy["excluded_paths"]] == ["vendor/**"]
    assert policy["far_suppressions"] == [
        {"file": "main.tf", "line": 1, "until": "9999-12-31", "rules": ["SOV101"]}
    ]
    assert policy["inline_suppressions"] is True


def test_no_inline_suppressions_and_max_days(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    for args in (["--no-inline-suppressions"], ["--max-suppression-days", "90"]):
        proc = run_cli(["scan", ".", "--no-cache", "-f", "json", *args], cwd=repo)
        report = json.loads(proc.stdout)
        assert proc.returncode == 1
        assert not [f for f in report["findings"] if f["suppressed"]], args
        sov003 = [f for f in report["findings"] if f["rule_id"] == "SOV003"]
        assert len(sov003) == 1 and sov003[0]["line"] == 1, args
    proc = run_cli(["scan", ".", "--no-cache", "--no-inline-suppressions"], cwd=repo)
    assert "policy: inline sovlint:ignore comments not honoured" in proc.stdout
