"""Paths under different .sovlint.yaml files: the verdict never depends on argument order."""

from __future__ import annotations

from pathlib import Path

import pytest

from sovtest import run_cli

TF = 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n'


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()  # the repository root: configuration lookup stops here
    for name in ("a", "z"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "main.tf").write_text(TF)
    (tmp_path / "a" / ".sovlint.yaml").write_text("disable: [SOV100, SOV101, SOV102]\n")
    return tmp_path


@pytest.mark.parametrize("order", [["a/main.tf", "z/main.tf"], ["z/main.tf", "a/main.tf"]])
def test_mixed_configurations_are_refused_in_both_orders(repo: Path, order: list[str]) -> None:
    proc = run_cli(["scan", *order, "--no-cache"], cwd=repo)
    assert proc.returncode == 2, proc.stdout
    assert "paths under different configurations" in proc.stderr
    assert proc.stderr.count("\n") == 1 and proc.stdout == ""


@pytest.mark.parametrize("order", [["a/main.tf", "z/main.tf"], ["z/main.tf", "a/main.tf"]])
def test_pinned_config_applies_to_all_in_both_orders(repo: Path, order: list[str]) -> None:
    pinned = repo / "policy.yaml"
    pinned.write_text("fail_on: low\n")
    proc = run_cli(["scan", *order, "--no-cache", "--config", str(pinned)], cwd=repo)
    assert proc.returncode == 1, proc.stderr
    assert {line.split(":")[0] for line in proc.stdout.splitlines() if "SOV101" in line} == {
        "a/main.tf",
        "z/main.tf",
    }


def test_paths_under_one_configuration_are_scanned(repo: Path) -> None:
    (repo / "a" / "extra.tf").write_text(TF.replace('"b"', '"c"'))
    proc = run_cli(["scan", "a/main.tf", "a/extra.tf", "--no-cache"], cwd=repo)
    assert proc.returncode in (0, 1) and proc.stderr == ""
    assert " SOV101 [" not in proc.stdout  # a/s disable applies to both files
    assert "policy: rules disabled" in proc.stdout
