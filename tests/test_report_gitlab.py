"""GitLab Code Quality JSON: description, check_name, fingerprint, severity, location.path,
location.lines.begin, for every unsuppressed finding."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reporthelp import AWS_BUCKET, finding, report_for, report_of, sovlint
from sovlint.reporters.gitlab import render
from sovtest import FIXTURES

TF = FIXTURES / "terraform"
SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def check_issue(issue: dict[str, Any]) -> None:
    """The fields GitLab's Code Quality widget reads, with their types."""
    assert isinstance(issue["description"], str) and issue["description"]
    assert isinstance(issue["check_name"], str) and issue["check_name"].startswith("SOV")
    assert isinstance(issue["fingerprint"], str) and len(issue["fingerprint"]) >= 32
    assert issue["severity"] in SEVERITIES
    location = issue["location"]
    assert isinstance(location["path"], str) and not location["path"].startswith("/")
    begin = location["lines"]["begin"]
    assert isinstance(begin, int) and not isinstance(begin, bool) and begin >= 1


def issues_of(text: str) -> list[dict[str, Any]]:
    data = json.loads(text)
    assert isinstance(data, list)
    for issue in data:
        check_issue(issue)
    fingerprints = [i["fingerprint"] for i in data]
    assert len(set(fingerprints)) == len(fingerprints)
    return data


def test_fields_for_a_scan(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "env").mkdir()
    (tmp_path / "env" / "main.tf").write_text(AWS_BUCKET)
    issues = issues_of(render(report_for(tmp_path / "env")))
    assert [
        (i["check_name"], i["severity"], i["location"]["path"], i["location"]["lines"]["begin"])
        for i in issues
    ] == [
        ("SOV100", "critical", "env/main.tf", 1),
        ("SOV101", "critical", "env/main.tf", 5),
    ]
    assert issues[1]["description"].startswith("SOV101 aws_s3_bucket.this: resource ")


def test_severity_mapping_and_suppressed_left_out() -> None:
    sup = report_for(TF / "suppression")
    issues = issues_of(render(sup))
    assert len(issues) == len([f for f in sup.result.findings if not f.suppressed]) == 4
    assert {i["check_name"]: i["severity"] for i in issues} == {
        "SOV003": "minor",
        "SOV101": "critical",
    }
    (medium,) = issues_of(render(report_for(TF / "sov103-unknown-region")))
    assert medium["severity"] == "major"
    broken = issues_of(render(report_for(TF / "sov001-broken-next-to-valid")))
    assert "blocker" in {i["severity"] for i in broken if i["check_name"] == "SOV001"}


def test_clean_scan_is_an_empty_list() -> None:
    assert issues_of(render(report_for(TF / "pass-scaleway-fr-par"))) == []


def test_fingerprint_ignores_lines_but_not_files(tmp_path: Path) -> None:
    one = report_of([finding(line=5)], ["main.tf"], tmp_path)
    moved = report_of([finding(line=50)], ["main.tf"], tmp_path)
    other = report_of([finding(file="other.tf", line=5)], ["other.tf"], tmp_path)
    (a,) = issues_of(render(one))
    (b,) = issues_of(render(moved))
    (c,) = issues_of(render(other))
    assert a["fingerprint"] == b["fingerprint"]
    assert a["location"]["lines"]["begin"] == 5 and b["location"]["lines"]["begin"] == 50
    assert a["fingerprint"] != c["fingerprint"]


def test_cli_gitlab_output_file(tmp_path: Path) -> None:
    out = tmp_path / "gl-code-quality-report.json"
    proc = sovlint(["scan", "-f", "gitlab", "-o", str(out)], TF / "sov102-hetzner-ash")
    assert proc.returncode == 1, proc.stderr
    (issue,) = issues_of(out.read_text(encoding="utf-8"))
    assert issue["check_name"] == "SOV102"
    assert issue["location"]["path"].endswith("main.tf")
    assert issue["location"]["lines"]["begin"] == 20
