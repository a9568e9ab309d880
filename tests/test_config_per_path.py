"""Hierarchical configuration: each file judged under its nearest .sovlint.yaml, in one run,
whatever the order of the arguments (pre-commit passes many files at once)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sovtest import run_cli

TF = 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n'
SILENCED = "disable: [SOV100, SOV101, SOV102]\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()  # the repository root: configuration lookup stops here
    for name in ("a", "z"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "main.tf").write_text(TF)
    (tmp_path / "a" / ".sovlint.yaml").write_text(SILENCED)
    return tmp_path


def _rules_by_file(stdout: str) -> set[tuple[str, str]]:
    """(file, rule) of each finding of `--output-format concise` text."""
    out = set()
    for line in stdout.splitlines():
        head, sep, rest = line.partition(": SOV")
        if sep:
            out.add((head.split(":")[0], "SOV" + rest.split()[0]))
    return out


def _scan(repo: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    proc = run_cli(["scan", *args, "--output-format", "concise", "--no-cache"], cwd=repo, env=env)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.mark.parametrize("order", [["a/main.tf", "z/main.tf"], ["z/main.tf", "a/main.tf"]])
def test_each_file_is_judged_under_its_own_configuration(repo: Path, order: list[str]) -> None:
    rc, out, err = _scan(repo, *order)
    assert rc == 1, err  # z's SOV101 fails the run, whatever the order
    found = _rules_by_file(out)
    assert ("z/main.tf", "SOV101") in found
    assert ("a/main.tf", "SOV101") not in found  # a's disable applies to a only
    assert ("a/main.tf", "SOV104") in found  # ... and only to the rules it names
    assert "policy: rules disabled (in " in out and "a/.sovlint.yaml): SOV100" in out


def test_argument_order_gives_the_same_report(repo: Path) -> None:
    first = _scan(repo, "a/main.tf", "z/main.tf", "-f", "json")
    second = _scan(repo, "z/main.tf", "a/main.tf", "-f", "json")
    assert first[0] == second[0] == 1
    one, two = json.loads(first[1]), json.loads(second[1])
    assert one["findings"] == two["findings"] and one["files"] == two["files"]
    assert [c["config"] for c in one["configurations"]] == [
        c["config"] for c in two["configurations"]
    ]


def test_a_configuration_in_a_scanned_subdirectory_applies_below_it(repo: Path) -> None:
    rc, out, err = _scan(repo, ".")
    assert rc == 1, err
    found = _rules_by_file(out)
    assert ("z/main.tf", "SOV101") in found and ("a/main.tf", "SOV101") not in found
    assert "configuration (none: built-in defaults): 1 file (from .)" in out
    assert "a/.sovlint.yaml: 1 file (from a)" in out
    report = json.loads(_scan(repo, ".", "-f", "json")[1])
    assert report["schema_version"] == 3
    uses = {
        Path(c["config"]).parent.name if c["config"] else None: c for c in report["configurations"]
    }
    assert uses[None]["files"] == ["z/main.tf"] and uses[None]["disabled"] == []
    assert uses["a"]["files"] == ["a/main.tf"]
    assert uses["a"]["disabled"] == ["SOV100", "SOV101", "SOV102"]
    assert {d["defined_in"] for d in report["policy"]["disabled_rules"]} == {uses["a"]["config"]}
    html = _scan(repo, ".", "-f", "html")[1]
    assert f"{uses['a']['config']}: SOV100, SOV101, SOV102" in html
    sarif = json.loads(_scan(repo, ".", "-f", "sarif")[1])
    assert sarif["runs"][0]["properties"]["configurations"] == [
        {"config": None, "files": 1},
        {"config": uses["a"]["config"], "files": 1},
    ]


def test_the_nearest_configuration_wins_whole(repo: Path) -> None:
    inner = repo / "a" / "b"
    inner.mkdir()
    (inner / "main.tf").write_text(TF)
    (inner / ".sovlint.yaml").write_text("fail_on: low\n")  # no disable: not merged with a's
    for args in (["."], ["a"], ["a/b/main.tf", "a/main.tf"]):
        rc, out, err = _scan(repo, *args)
        found = _rules_by_file(out)
        assert rc == 1, err
        assert ("a/b/main.tf", "SOV101") in found and ("a/main.tf", "SOV101") not in found


@pytest.mark.parametrize("order", [["a/main.tf", "z/main.tf"], ["z/main.tf", "a/main.tf"]])
def test_fail_on_is_each_configurations_own(repo: Path, order: list[str]) -> None:
    (repo / "a" / ".sovlint.yaml").write_text("disable: [SOV100, SOV101, SOV102, SOV104]\n")
    (repo / "z" / ".sovlint.yaml").write_text(f"fail_on: high\n{SILENCED}")
    rc, out, err = _scan(repo, *order)
    assert ("z/main.tf", "SOV104") in _rules_by_file(out)
    assert rc == 0, out + err  # z's low finding is below z's fail_on; a has none
    (repo / "z" / ".sovlint.yaml").write_text(f"fail_on: low\n{SILENCED}")
    assert _scan(repo, *order)[0] == 1


def test_pinned_config_applies_to_all_in_both_orders(repo: Path) -> None:
    pinned = repo / "policy.yaml"
    pinned.write_text("fail_on: low\n")
    for order in (["a/main.tf", "z/main.tf"], ["z/main.tf", "a/main.tf"], ["."]):
        rc, out, err = _scan(repo, *order, "--config", str(pinned))
        assert rc == 1, err
        found = _rules_by_file(out)
        assert ("a/main.tf", "SOV101") in found and ("z/main.tf", "SOV101") in found
        assert "configuration " not in out  # one configuration: no per-configuration lines


def test_a_root_module_is_judged_with_its_children_under_its_configuration(repo: Path) -> None:
    (repo / "a" / "main.tf").unlink()
    (repo / "a" / "mod").mkdir()
    (repo / "a" / "mod" / "main.tf").write_text(TF)
    (repo / "z" / "main.tf").write_text('module "m" {\n  source = "../a/mod"\n}\n')
    report = json.loads(_scan(repo, ".", "-f", "json")[1])
    called = [f for f in report["findings"] if f["file"] == "a/mod/main.tf"]
    assert {f["rule_id"] for f in called} >= {"SOV101"}  # judged as z's child, under z's
    assert all(f["callers"] == ["z"] for f in called)  # ... and not as a root of a's part
    rc, out, _ = _scan(repo, "a")  # scanned alone, a/mod is a root, under a's configuration
    assert rc == 1 and ("a/mod/main.tf", "SOV104") in _rules_by_file(out)
    assert ("a/mod/main.tf", "SOV101") not in _rules_by_file(out)


def test_different_profiles_are_refused_unless_chosen(repo: Path) -> None:
    (repo / "z" / ".sovlint.yaml").write_text("profile: secnumcloud\n")
    rc, out, err = _scan(repo, "a/main.tf", "z/main.tf")
    assert rc == 2 and out == ""
    assert "different profiles" in err and err.count("\n") == 1
    rc, out, err = _scan(repo, "a/main.tf", "z/main.tf", "--profile", "sovereign-eu")
    assert rc == 1, err


def test_show_settings_lists_each_configuration(repo: Path) -> None:
    proc = run_cli(["scan", ".", "--show-settings"], cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert "configuration: (none found; built-in defaults)" in proc.stdout
    assert "a/.sovlint.yaml" in proc.stdout and "disable: SOV100, SOV101, SOV102" in proc.stdout


def test_the_result_cache_is_keyed_by_the_configuration(repo: Path, tmp_path: Path) -> None:
    env = {"SOVLINT_CACHE_DIR": str(tmp_path / "cache")}
    pinned = repo / "policy.yaml"
    pinned.write_text("fail_on: low\n")

    def rules(*args: str) -> set[tuple[str, str]]:
        proc = run_cli(["scan", "a/main.tf", "--output-format", "concise", *args], repo, env=env)
        return _rules_by_file(proc.stdout)

    for _ in range(2):  # the second round reads every result from the cache
        assert ("a/main.tf", "SOV101") not in rules()
        assert ("a/main.tf", "SOV101") in rules("--config", str(pinned))


def test_sharded_scans_of_several_configurations_merge_exactly(repo: Path) -> None:
    (repo / "z" / "other").mkdir()
    (repo / "z" / "other" / "main.tf").write_text(TF.replace('"b"', '"c"'))
    whole = json.loads(_scan(repo, ".", "-f", "json")[1])
    shards = []
    for k in (1, 2, 3):
        name = repo.parent / f"shard{k}.json"
        assert _scan(repo, ".", "--shard", f"{k}/3", "-f", "json", "-o", str(name))[0] in (0, 1)
        shards.append(str(name))
    merged = run_cli(["merge", *shards, "-f", "json"], cwd=repo)
    assert merged.returncode == 1, merged.stderr
    report = json.loads(merged.stdout)
    for key in ("findings", "inventory", "files", "summary", "configurations", "policy"):
        assert report[key] == whole[key], key


def test_a_broken_nested_configuration_fails_the_run(repo: Path) -> None:
    (repo / "z" / ".sovlint.yaml").write_text("disable: [SOV100]\nbogus: 1\n")
    rc, out, err = _scan(repo, ".")
    assert rc == 2 and out == ""
    assert err.startswith("sovlint: error: ") and "z/.sovlint.yaml:2: unknown key 'bogus'" in err


def test_the_checkov_extension_finds_the_same_configuration(repo: Path) -> None:
    from sovlint.hierarchy import config_of
    from sovlint.integrations.checkov.settings import settings_for

    inner = repo / "a" / "b"
    inner.mkdir()
    (inner / ".sovlint.yaml").write_text("fail_on: low\n")
    for directory in (repo / "a", inner, repo / "z"):
        assert settings_for(str(directory)).config.path == config_of(directory)
    assert settings_for(str(repo / "a")).disabled == {"SOV100", "SOV101", "SOV102"}
    assert settings_for(str(inner)).disabled == frozenset()  # the nearest one, whole


def test_a_unit_under_none_of_the_runs_configurations_is_still_judged(
    repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (outside / ".sovlint.yaml").write_text("fail_on: low\n")
    (outside / "mod").mkdir()
    (outside / "mod" / "main.tf").write_text(TF)
    (repo / "linked").symlink_to(outside, target_is_directory=True)
    rc, out, err = _scan(repo, ".", "--follow-symlinks")
    assert rc == 1, err
    assert ("linked/mod/main.tf", "SOV101") in _rules_by_file(out)  # not silently dropped
