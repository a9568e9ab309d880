"""Baselines: write, rescan unchanged (exit 0), new findings still reported, keyed by
(repository-relative file, address, rule) with counts; corrupt files are exit 2; writes are atomic."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from reporthelp import AWS_BUCKET, finding, scan_paths, sovlint
from sovlint.baseline import (
    VERSION_KEY,
    Baseline,
    BaselineError,
    apply_baseline,
    collect,
    load_baseline,
    write_baseline,
)
from sovtest import FIXTURES

TF = FIXTURES / "terraform"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git work tree with one module holding an AWS bucket (SOV100 + SOV101)."""
    root = tmp_path / "repo"
    (root / "app").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / "app" / "main.tf").write_text(AWS_BUCKET)
    return root


def entries(path: Path) -> list[dict[str, object]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data[VERSION_KEY] == 1
    items: list[dict[str, object]] = data["findings"]
    return items


def test_round_trip(repo: Path) -> None:
    base = repo / ".sovlint-baseline.json"
    proc = sovlint(["scan", "--write-baseline", str(base)], repo)
    assert proc.returncode == 0, proc.stdout + proc.stderr  # recorded findings are accepted
    assert "0 findings" in proc.stdout and "2 suppressed" in proc.stdout
    assert entries(base) == [
        {"file": "app/main.tf", "address": "aws_s3_bucket.this", "rule_id": "SOV101", "count": 1},
        {"file": "app/main.tf", "address": "provider.aws", "rule_id": "SOV100", "count": 1},
    ]
    assert sorted(p.name for p in repo.iterdir()) == [".git", ".sovlint-baseline.json", "app"]

    # unchanged: clean
    proc = sovlint(["scan", "--baseline", str(base)], repo)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # without the baseline the same tree fails: the baseline is what makes it pass
    assert sovlint(["scan"], repo).returncode == 1

    # lines move: still clean (keys have no line)
    (repo / "app" / "main.tf").write_text("# header\n\n\n\n" + AWS_BUCKET)
    assert sovlint(["scan", "--baseline", str(base)], repo).returncode == 0

    # the same address in another file is new, and reported
    (repo / "other").mkdir()
    (repo / "other" / "main.tf").write_text(AWS_BUCKET)
    proc = sovlint(["scan", "--baseline", str(base), "--format", "json"], repo)
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    active = {
        (f["file"], f["address"], f["rule_id"]) for f in report["findings"] if not f["suppressed"]
    }
    assert active == {
        ("other/main.tf", "provider.aws", "SOV100"),
        ("other/main.tf", "aws_s3_bucket.this", "SOV101"),
    }
    assert report["summary"]["suppressed"] == 2


def test_keys_are_repository_relative_whatever_the_run_directory(repo: Path) -> None:
    base = repo / "baseline.json"
    assert sovlint(["scan", "--write-baseline", str(base)], repo).returncode == 0
    # scanning from inside the module names the file main.tf; the key is still app/main.tf
    proc = sovlint(["scan", ".", "--baseline", str(base)], repo / "app")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # and a file passed explicitly (as pre-commit does) matches too
    proc = sovlint(["scan", "app/main.tf", "--baseline", str(base)], repo)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_new_rule_on_a_baselined_address_is_reported(repo: Path) -> None:
    base = repo / "baseline.json"
    (repo / "app" / "main.tf").write_text(AWS_BUCKET.replace('"eu-west-3"', '"eu-west-1"'))
    assert sovlint(["scan", "--write-baseline", str(base)], repo).returncode == 0
    (repo / "app" / "main.tf").write_text(AWS_BUCKET.replace('"eu-west-3"', '"us-east-1"'))
    proc = sovlint(["scan", "--baseline", str(base)], repo)
    assert proc.returncode == 1
    assert "SOV102" in proc.stdout and "SOV101" not in proc.stdout


def test_counts_one_recorded_two_found_one_new(tmp_path: Path) -> None:
    findings = [finding(line=5)]
    baseline = collect(findings, tmp_path)
    assert baseline.entries == {("main.tf", "aws_s3_bucket.this", "SOV101"): 1}
    now = [finding(line=5), finding(line=9)]
    assert apply_baseline(now, baseline, tmp_path) == 1
    assert [f.suppressed for f in now] == [True, False]
    assert now[0].suppressed_by == "baseline"
    # a real scan: three SOV203 on one resource; a baseline recording two leaves one new
    result = scan_paths([TF / "sov203-egress"], TF / "sov203-egress")
    sov203 = [f for f in result.findings if f.rule_id == "SOV203"]
    key = collect(sov203, TF / "sov203-egress")
    (top_key, top_count) = key.entries.most_common(1)[0]
    assert top_count >= 2
    key.entries[top_key] = top_count - 1
    assert apply_baseline(result.findings, key, TF / "sov203-egress") == len(sov203) - 1
    assert len([f for f in result.findings if f.rule_id == "SOV203" and not f.suppressed]) == 1


def test_findings_that_cannot_be_waived_are_never_recorded(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(AWS_BUCKET)
    (tmp_path / "broken.tf").write_text('resource "a" "b" {\n')
    base = tmp_path / "b.json"
    proc = sovlint(["scan", "--write-baseline", str(base)], tmp_path)
    assert proc.returncode == 1  # SOV001 still fails the run
    assert "SOV001" in proc.stdout
    assert {e["rule_id"] for e in entries(base)} == {"SOV100", "SOV101"}
    # already-suppressed findings (sovlint:ignore) are not recorded either
    sup = scan_paths([TF / "suppression"], TF / "suppression")
    recorded = {
        (address, rule) for _, address, rule in collect(sup.findings, TF / "suppression").entries
    }
    assert recorded == {("aws_s3_bucket.b", "SOV101"), ("aws_s3_bucket.c", "SOV101")}


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('{"sovlint_baseline": 1, "findings": [', "corrupt baseline: invalid JSON at line 1"),
        ("\xff\xfe", "corrupt baseline"),
        ("[]", "not a sovlint baseline"),
        ('{"version": 1, "findings": []}', "not a sovlint baseline"),
        ('{"sovlint_baseline": 2, "findings": []}', "unsupported baseline version 2"),
        ('{"sovlint_baseline": true, "findings": []}', "unsupported baseline version True"),
        ('{"sovlint_baseline": 1}', '"findings" must be a list'),
        ('{"sovlint_baseline": 1, "findings": ["x"]}', "findings[0] must be an object"),
        (
            '{"sovlint_baseline": 1, "findings": [{"file": "a.tf", "rule_id": "SOV101"}]}',
            "'address' must be a non-empty string",
        ),
        (
            '{"sovlint_baseline": 1, "findings": [{"file": "a.tf", "address": "x.y", '
            '"rule_id": "SOV101", "count": 0}]}',
            "'count' must be a positive integer",
        ),
    ],
)
def test_corrupt_baseline_is_a_one_line_error(repo: Path, content: str, problem: str) -> None:
    base = repo / "baseline.json"
    base.write_bytes(content.encode("latin-1") if content.startswith("\xff") else content.encode())
    with pytest.raises(BaselineError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        load_baseline(base)
    proc = sovlint(["scan", "--baseline", str(base)], repo)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"sovlint: error: {base}: ")
    assert problem in lines[0]


def test_missing_baseline_is_exit_2(repo: Path) -> None:
    proc = sovlint(["scan", "--baseline", "nope.json"], repo)
    assert proc.returncode == 2
    assert (
        proc.stderr
        == "sovlint: error: nope.json: baseline file not found (create it with --write-baseline)\n"
    )


def test_write_is_atomic_and_leaves_no_temp_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = tmp_path / "baseline.json"
    write_baseline(base, [finding()], tmp_path, "0.1.0")
    first = base.read_text(encoding="utf-8")
    assert sorted(os.listdir(tmp_path)) == ["baseline.json"]
    assert load_baseline(base).entries == {("main.tf", "aws_s3_bucket.this", "SOV101"): 1}

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_baseline(base, [finding(), finding(file="b.tf")], tmp_path, "0.1.0")
    monkeypatch.undo()
    assert base.read_text(encoding="utf-8") == first  # the old baseline is intact
    assert sorted(os.listdir(tmp_path)) == ["baseline.json"]  # and no temp file is left


def test_unwritable_baseline_is_exit_2(repo: Path) -> None:
    proc = sovlint(["scan", "--write-baseline", "missing-dir/b.json"], repo)
    assert proc.returncode == 2
    assert proc.stderr.startswith("sovlint: error: missing-dir/b.json: cannot write baseline: ")
    assert len(proc.stderr.splitlines()) == 1


def test_refresh_with_both_options(repo: Path) -> None:
    """`--baseline B --write-baseline B` judges against the old baseline and records the new one."""
    base = repo / "b.json"
    assert sovlint(["scan", "--write-baseline", str(base)], repo).returncode == 0
    (repo / "other").mkdir()
    (repo / "other" / "main.tf").write_text(AWS_BUCKET)
    proc = sovlint(["scan", "--baseline", str(base), "--write-baseline", str(base)], repo)
    assert proc.returncode == 1  # judged against the old baseline: other/ is new
    assert "other/main.tf" in proc.stdout and "app/main.tf" not in proc.stdout
    assert len(entries(base)) == 4
    assert sovlint(["scan", "--baseline", str(base)], repo).returncode == 0


def test_baselined_findings_carry_the_reason(tmp_path: Path) -> None:
    baseline = Baseline(collect([finding()], tmp_path).entries, ".sovlint-baseline.json")
    now = [finding()]
    apply_baseline(now, baseline, tmp_path)
    assert now[0].suppression_reason == "in baseline .sovlint-baseline.json"
