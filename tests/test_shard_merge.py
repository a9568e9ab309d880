"""--shard K/N splits a scan across runners; `sovlint merge` gives back the unsharded report."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from corpus import generate  # noqa: E402

from sovtest import run_cli  # noqa: E402


def cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(list(args), cwd)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tree")
    generate(out, modules=12, seed=3, manifests=12)
    shutil.copytree(ROOT / "fixtures" / "terraform" / "modules" / "nested-region", out / "nested")
    shutil.copytree(ROOT / "fixtures" / "kubernetes", out / "k8s", dirs_exist_ok=True)
    (out / "broken.tf").write_text("resource {\n")
    return out


@pytest.mark.parametrize("count", [2, 3, 5])
def test_merged_shards_equal_the_whole_scan(tree: Path, tmp_path: Path, count: int) -> None:
    whole = cli(tree, "scan", ".", "--no-cache", "-f", "json")
    reports = []
    for k in range(1, count + 1):
        out = tmp_path / f"shard-{k}.json"
        proc = cli(
            tree, "scan", ".", "--no-cache", "--shard", f"{k}/{count}", "-f", "json", "-o", str(out)
        )
        assert proc.returncode in (0, 1), proc.stderr
        reports.append(str(out))
    merged = cli(tree, "merge", *reports, "-f", "json")
    assert merged.returncode == whole.returncode == 1
    assert json.loads(merged.stdout) == json.loads(whole.stdout)
    sizes = [len(json.loads(Path(r).read_text())["findings"]) for r in reports]
    assert all(sizes), sizes  # every shard got work
    text = cli(tree, "merge", *reports, "-f", "text").stdout
    assert text.splitlines()[-1] == cli(tree, "scan", ".", "--no-cache").stdout.splitlines()[-1]


def test_merge_errors(tmp_path: Path) -> None:
    a = tmp_path / "a.json"
    a.write_text("{}")
    proc = cli(tmp_path, "merge", str(a))
    assert proc.returncode == 2 and "not a sovlint JSON report" in proc.stderr
    assert cli(tmp_path, "scan", ".", "--shard", "3/2").returncode == 2
    assert "expected K/N" in cli(tmp_path, "scan", ".", "--shard", "x").stderr


@pytest.fixture(scope="module")
def shards(tree: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Shard reports of the tree: 1/3 2/3 3/3, 1/2, and 1/3 under another profile or config."""
    out = tmp_path_factory.mktemp("shards")
    made = {}
    for name, shard, extra in [
        ("1/3", "1/3", []),
        ("2/3", "2/3", []),
        ("3/3", "3/3", []),
        ("1/2", "1/2", []),
        ("2/3 residency", "2/3", ["--profile", "residency-eu"]),
        ("2/3 excluded", "2/3", ["--exclude", "k8s"]),
    ]:
        path = out / f"{len(made)}.json"
        proc = cli(
            tree, "scan", ".", "--no-cache", "--shard", shard, *extra, "-f", "json", "-o", str(path)
        )
        assert proc.returncode in (0, 1), proc.stderr
        made[name] = path
    return made


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (["1/3", "2/3"], "incomplete set of shards: 3/3 missing"),
        (["1/3", "2/3", "3/3", "3/3"], "shard 3/3 again"),
        (["1/3", "1/2", "3/3"], "of another N"),
        (["1/3", "2/3 residency", "3/3"], "another profile"),
        (["1/3", "2/3 excluded", "3/3"], "another configuration"),
    ],
    ids=["missing", "repeated", "mixed-n", "profile", "config"],
)
def test_merge_refuses_a_mixed_or_incomplete_set(
    tree: Path, shards: dict[str, Path], names: list[str], message: str
) -> None:
    proc = cli(tree, "merge", *(str(shards[n]) for n in names))
    assert proc.returncode == 2, proc.stdout
    assert message in proc.stderr and proc.stderr.count("\n") == 1
    assert proc.stdout == ""


def test_merge_refuses_another_version_and_an_unsharded_report(
    tree: Path, shards: dict[str, Path], tmp_path: Path
) -> None:
    data = json.loads(shards["3/3"].read_text())
    data["tool"]["version"] = "0.0.0"
    other = tmp_path / "other.json"
    other.write_text(json.dumps(data))
    proc = cli(tree, "merge", str(shards["1/3"]), str(shards["2/3"]), str(other))
    assert proc.returncode == 2 and "another sovlint version" in proc.stderr
    whole = tmp_path / "whole.json"
    cli(tree, "scan", ".", "--no-cache", "-f", "json", "-o", str(whole))
    proc = cli(tree, "merge", str(whole))
    assert (
        proc.returncode == 2 and "not the report of a `sovlint scan --shard K/N` run" in proc.stderr
    )
