"""The command line: exit codes, formats, errors as one line, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sovlint import __version__
from sovlint.__main__ import main
from sovtest import run_cli as run

ROOT = Path(__file__).resolve().parent.parent
TF = ROOT / "fixtures" / "terraform"


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"sovlint {__version__}\n"


def test_scan_text_and_exit_code() -> None:
    proc = run(["scan", "."], TF / "sov102-hetzner-ash")
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.splitlines()[0].startswith("main.tf:20:1: SOV102 [high] hcloud_server.us:")
    assert "fix:" in proc.stdout
    assert "1 finding " in proc.stdout.splitlines()[-1]
    assert "\033[" not in proc.stdout


def test_clean_scan_exits_zero() -> None:
    proc = run(["scan"], TF / "pass-scaleway-fr-par")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 findings" in proc.stdout


def test_fail_on_threshold() -> None:
    case = TF / "sov103-unknown-region"  # one medium finding
    assert run(["scan", ".", "--fail-on", "high"], case).returncode == 0
    assert run(["scan", ".", "--fail-on", "medium"], case).returncode == 1


def test_parse_error_fails_even_with_fail_on_high(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "a" "b" {\n')
    proc = run(["scan", ".", "--fail-on", "high"], tmp_path)
    assert proc.returncode == 1
    assert "SOV001" in proc.stdout


def test_json_report_contract(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    proc = run(["scan", ".", "--format", "json", "--output", str(out)], TF / "sov100-aws-eu-west-3")
    assert proc.returncode == 1
    assert proc.stdout == ""
    report = json.loads(out.read_text())
    assert report["schema_version"] == 3
    assert report["tool"] == {"name": "sovlint", "version": __version__}
    assert set(report) == {
        "schema_version", "tool", "profile", "catalog", "summary", "findings", "inventory", "files",
        "shard", "settings", "policy", "configurations",
    }  # fmt: skip
    assert report["files"] == ["main.tf"]
    assert set(report["summary"]) == {"files", "findings", "suppressed", "by_rule", "by_severity"}
    assert report["summary"]["by_rule"] == {"SOV100": 1, "SOV101": 2}
    for finding in report["findings"]:
        assert list(finding) == [
            "rule_id", "severity", "message", "file", "line", "end_line", "address", "provider",
            "operator", "jurisdiction", "region", "country", "suppressed", "suppression", "fix",
            "callers", "fingerprint",
        ]  # fmt: skip
        assert len(finding["fingerprint"]) == 64
    first = report["findings"][0]
    assert first["file"] == "main.tf"
    assert first["operator"] == "Amazon Web Services, Inc."
    assert first["jurisdiction"] == "US"
    assert first["country"] == "FR"
    assert first["region"] == "eu-west-3"
    inventory = {i["address"]: i for i in report["inventory"]}
    assert inventory["aws_s3_bucket.reports"]["verdict"] == "not_sovereign"
    assert inventory["aws_s3_bucket.reports"]["country"] == "FR"
    by_fingerprint = {f["fingerprint"]: f for f in report["findings"]}
    linked = [by_fingerprint[fp] for fp in inventory["aws_s3_bucket.reports"]["findings"]]
    # its own SOV101, then its provider's SOV100
    assert [(f["rule_id"], f["address"]) for f in linked] == [
        ("SOV101", "aws_s3_bucket.reports"),
        ("SOV100", "provider.aws"),
    ]


def test_text_and_json_in_one_run(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    proc = run(["scan", ".", "-f", "text", "-f", "json", "-o", str(out)], TF / "sov102-hetzner-ash")
    assert "SOV102" in proc.stdout and json.loads(out.read_text())["summary"]["findings"] == 1


def test_file_paths_relative_to_cwd() -> None:
    proc = run(["scan", "fixtures/terraform/sov102-hetzner-ash", "-f", "json"], ROOT)
    report = json.loads(proc.stdout)
    assert report["findings"][0]["file"] == "fixtures/terraform/sov102-hetzner-ash/main.tf"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["scan", "nope"], "nope: no such file or directory"),
        (["scan", ".", "--profile", "martian"], "unknown profile 'martian'"),
        (["scan", ".", "--format", "xml"], "unknown format 'xml'"),
        (["scan", ".", "--fail-on", "severe"], "unknown severity"),
        (["scan", ".", "--no-such-flag"], "No such option"),
        (["explain", "SOV999"], "unknown rule 'SOV999'"),
    ],
)
def test_usage_errors_are_one_line_exit_2(args: list[str], message: str, tmp_path: Path) -> None:
    proc = run(args, tmp_path)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert len(proc.stderr.strip().splitlines()) == 1


def test_config_unknown_key_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / ".sovlint.yaml").write_text("profile: residency-eu\nalow_countries: [CH]\n")
    proc = run(["scan", "."], tmp_path)
    assert proc.returncode == 2
    assert ".sovlint.yaml:2: unknown key 'alow_countries'" in proc.stderr


def test_config_picks_profile_and_extends_countries(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_s3_bucket" "zurich" {\n  bucket = "z"\n}\n'
        'provider "aws" {\n  region = "eu-central-2"\n}\n'
    )
    assert run(["scan", ".", "--profile", "residency-eu"], tmp_path).returncode == 1
    (tmp_path / ".sovlint.yaml").write_text("profile: residency-eu\nallow_countries: [CH]\n")
    proc = run(["scan", "."], tmp_path)
    assert proc.returncode == 0, proc.stdout


def test_config_disable_and_severity(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('provider "scaleway" {\n  region = "fr-lyo"\n}\n')
    proc = run(["scan", ".", "-f", "json"], tmp_path)
    assert json.loads(proc.stdout)["findings"][0]["severity"] == "medium"
    (tmp_path / ".sovlint.yaml").write_text("severity: {SOV103: high}\n")
    assert (
        json.loads(run(["scan", ".", "-f", "json"], tmp_path).stdout)["findings"][0]["severity"]
        == "high"
    )
    (tmp_path / ".sovlint.yaml").write_text("disable: [SOV103]\n")
    assert run(["scan", "."], tmp_path).returncode == 0
    (tmp_path / ".sovlint.yaml").write_text("disable: [SOV103, SOV77]\n")
    proc = run(["scan", "."], tmp_path)
    assert proc.returncode == 2 and "unknown rule id 'SOV77'" in proc.stderr


def test_var_file_option(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'variable "loc" {\n  default = "fsn1"\n}\nresource "hcloud_server" "s" {\n  location = var.loc\n}\n'
    )
    (tmp_path / "us.tfvars").write_text('loc = "ash"\n')
    assert run(["scan", "."], tmp_path).returncode == 0
    proc = run(["scan", ".", "--var-file", "us.tfvars", "-f", "json"], tmp_path)
    finding = json.loads(proc.stdout)["findings"][0]
    assert (finding["rule_id"], finding["line"], finding["country"]) == ("SOV102", 5, "US")
    assert "us.tfvars:1" in finding["message"]


def test_rules_explain_profiles() -> None:
    proc = run(["rules"], ROOT)
    assert proc.returncode == 0 and "SOV101  high" in proc.stdout
    proc = run(["explain", "sov105"], ROOT)
    assert (
        proc.returncode == 0
        and "state-backend-not-sovereign" in proc.stdout
        and "Fix:" in proc.stdout
    )
    proc = run(["profiles"], ROOT)
    assert proc.returncode == 0
    for name in ("sovereign-eu (default)", "residency-eu", "secnumcloud"):
        assert name in proc.stdout


def test_rules_reference_is_generated_from_metadata() -> None:
    proc = run(["rules", "--format", "markdown"], ROOT)
    assert proc.stdout == (ROOT / "docs" / "rules.md").read_text(), (
        "regenerate: sovlint rules --format markdown > docs/rules.md"
    )


def test_var_and_env_vars(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'variable "loc" {\n  default = "fsn1"\n}\nresource "hcloud_server" "s" {\n  location = var.loc\n}\n'
    )
    (tmp_path / "terraform.tfvars").write_text('loc = "nbg1"\n')
    assert run(["scan", "."], tmp_path).returncode == 0
    proc = run(["scan", ".", "--var", "loc=ash", "-f", "json"], tmp_path)
    finding = json.loads(proc.stdout)["findings"][0]
    assert finding["country"] == "US" and "--var loc" in finding["message"]
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), TF_VAR_loc="hil")
    cmd = [sys.executable, "-m", "sovlint", "scan", ".", "-f", "json"]
    ignored = subprocess.run(
        cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert ignored.returncode == 0  # TF_VAR_* is opt-in
    # with --env-vars, TF_VAR_loc is read but terraform.tfvars still wins, as in Terraform
    assert (
        subprocess.run(
            [*cmd, "--env-vars"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
        ).returncode
        == 0
    )
    (tmp_path / "terraform.tfvars").unlink()
    used = subprocess.run(
        [*cmd, "--env-vars"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert "TF_VAR_loc" in json.loads(used.stdout)["findings"][0]["message"]
    assert run(["scan", ".", "--var", "loc"], tmp_path).returncode == 2


def test_warns_when_nothing_was_scanned(tmp_path: Path) -> None:
    (tmp_path / "values.yaml").write_text("replicas: 2\n")
    proc = run(["scan", "."], tmp_path)
    assert proc.returncode == 0
    assert "warning: no Terraform, OpenTofu or Kubernetes files found in ." in proc.stderr
    (tmp_path / "main.tf").write_text('provider "scaleway" {\n  region = "fr-par"\n}\n')
    assert "warning" not in run(["scan", "."], tmp_path).stderr


@pytest.mark.parametrize("args", [[], ["catalog"]])
def test_no_subcommand_prints_the_help_as_lines(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 2
    out = capsys.readouterr().out
    assert out.startswith("Usage: sovlint") and "\\x0a" not in out
    assert "\n  scan " in out or "\n  providers " in out
