"""The replay of an unchanged invocation (sovlint.replay): the same bytes and exit code as a
scan, and a scan again as soon as anything it read, listed or asked about changed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sovlint import replay
from sovlint.cache import is_entry

MAIN = """provider "aws" {
  region = "eu-west-3"
}

resource "aws_s3_bucket" "b" {
  bucket = "b"
}
"""


def _env(cache: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOVLINT_")}
    env.update(SOVLINT_CACHE_DIR=str(cache), NO_COLOR="1", **extra)
    return env


def sovlint(
    cwd: Path, cache: Path, *args: str, trace: bool = False, **extra: str
) -> tuple[int, str, str, bool]:
    """(exit code, stdout, stderr, whether the scanner ran). `-X importtime` (not part of
    the key) shows whether the CLI was imported: a replay never imports it."""
    flags = ["-X", "importtime"] if trace else []
    proc = subprocess.run(
        [sys.executable, *flags, "-m", "sovlint", "scan", *args],
        cwd=cwd,
        env=_env(cache, **extra),
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = proc.stderr.splitlines(keepends=True)
    ran = any(" sovlint.cli" in line for line in lines if line.startswith("import time:"))
    stderr = "".join(line for line in lines if not line.startswith("import time:"))
    return proc.returncode, proc.stdout, stderr, ran


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "infra").mkdir(parents=True)
    (root / "infra" / "main.tf").write_text(MAIN)
    return root


def entries(cache: Path) -> list[Path]:
    return sorted((cache / "v1" / "replay").rglob("*.bin"))


def test_an_unchanged_run_replays_the_same_bytes(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = sovlint(project, cache, "infra/main.tf")
    assert first[0] == 1 and "SOV100" in first[1]
    assert len(entries(cache)) == 1
    again = sovlint(project, cache, "infra/main.tf", trace=True)
    assert again[:3] == first[:3]
    assert not again[3], "the second run should have been replayed"
    fresh = sovlint(project, tmp_path / "other", "infra/main.tf", "--no-cache")
    assert fresh[:3] == first[:3]


def test_json_report_replayed_byte_for_byte(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = sovlint(project, cache, "-f", "json", "infra")
    again = sovlint(project, cache, "-f", "json", "infra", trace=True)
    assert again[:3] == first[:3] and not again[3]


def _changed(project: Path, cache: Path, args: list[str], change: object) -> None:
    """After `change`, the run scans again and says what a scan without any cache says."""
    before = sovlint(project, cache, *args)
    assert callable(change)
    change()
    after = sovlint(project, cache, *args, trace=True)
    assert after[3], "a changed input must not be replayed"
    truth = sovlint(project, cache.parent / "nocache", *args, "--no-cache")
    assert after[:3] == truth[:3]
    assert after[:3] != before[:3]


def test_same_size_same_mtime_edit_is_seen(project: Path, tmp_path: Path) -> None:
    main = project / "infra" / "main.tf"
    st_before = main.stat()

    def edit() -> None:
        main.write_text(MAIN.replace("eu-west-3", "us-east-1"))  # same length
        os.utime(main, ns=(st_before.st_atime_ns, st_before.st_mtime_ns))

    _changed(project, tmp_path / "cache", ["--profile", "residency-eu", "infra/main.tf"], edit)


def test_a_file_replaced_by_a_link_to_the_same_bytes_is_seen(project: Path, tmp_path: Path) -> None:
    """The walk reads links from the directory entries (no lstat per file, so no lstat fact
    of it): the change is still seen, by the stat of the path (which now follows the link)
    and by the directory's listing (which records each entry's kind)."""
    main = project / "infra" / "main.tf"
    outside = tmp_path / "elsewhere.tf"

    def relink() -> None:
        outside.write_bytes(main.read_bytes())
        main.unlink()
        main.symlink_to(outside)  # outside the scanned tree: SOV001, not followed

    _changed(project, tmp_path / "cache", ["infra"], relink)


def test_an_edit_that_restores_the_mtime_of_a_file_only_looked_at_is_seen(
    project: Path, tmp_path: Path
) -> None:
    """A warm run takes an unchanged module's result from the cache after a stat of its
    files: they are facts by their stat, whose ctime moves even when an edit restores the
    size and the mtime."""
    cache = tmp_path / "cache"
    main = project / "infra" / "main.tf"
    old = main.stat().st_mtime_ns - 10_000_000_000  # not racy: older than two seconds
    os.utime(main, ns=(old, old))
    args = ["--profile", "residency-eu", "infra"]
    sovlint(project, cache, *args)  # fills the parse and result caches
    for entry in entries(cache):  # (recorded or not: main.tf's ctime is still racy)
        entry.unlink()
    time.sleep(2.1)  # the result entry is no longer younger than the two racy seconds
    before = sovlint(project, cache, *args)  # warm: the module's result from the cache
    assert len(entries(cache)) == 1
    main.write_text(MAIN.replace("eu-west-3", "us-east-1"))
    os.utime(main, ns=(old, old))
    after = sovlint(project, cache, *args, trace=True)
    truth = sovlint(project, tmp_path / "nocache", *args, "--no-cache")
    assert after[3] and after[:3] == truth[:3] != before[:3]


def test_racy_stats() -> None:
    assert replay._racy("10:5:1:1:7", time.time_ns()) is False
    now = time.time_ns()
    assert replay._racy(f"10:5:{now}:{now}:7", now) is True
    assert replay._racy("d", now) is False


def test_a_new_configuration_file_in_a_parent_is_seen(project: Path, tmp_path: Path) -> None:
    def add() -> None:
        (project / ".sovlint.yaml").write_text("disable: [SOV100, SOV101]\n")

    _changed(project, tmp_path / "cache", ["infra/main.tf"], add)


def test_a_new_file_in_the_module_is_seen(project: Path, tmp_path: Path) -> None:
    def add() -> None:
        (project / "infra" / "vars.tf").write_text(
            'resource "aws_s3_bucket" "other" {\n  bucket = "o"\n}\n'
        )

    _changed(project, tmp_path / "cache", ["infra"], add)


def test_a_variable_file_edit_is_seen(project: Path, tmp_path: Path) -> None:
    main = project / "infra" / "main.tf"
    main.write_text(
        'variable "region" {}\nprovider "aws" {\n  region = var.region\n}\n'
        'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n'
    )
    (project / "infra" / "terraform.tfvars").write_text('region = "eu-west-3"\n')

    def edit() -> None:
        (project / "infra" / "terraform.tfvars").write_text('region = "us-east-1"\n')

    _changed(project, tmp_path / "cache", ["-p", "residency-eu", "infra/main.tf"], edit)


def test_a_module_directory_created_later_is_seen(project: Path, tmp_path: Path) -> None:
    (project / "modules").mkdir()
    (project / "infra" / "main.tf").write_text(
        MAIN + 'module "net" {\n  source = "../modules/net"\n}\n'
    )

    def create() -> None:
        (project / "modules" / "net").mkdir()
        (project / "modules" / "net" / "main.tf").write_text(
            'resource "google_storage_bucket" "g" {\n  name = "g"\n  location = "US"\n}\n'
        )

    _changed(project, tmp_path / "cache", ["infra"], create)


def test_a_cache_inside_the_scanned_tree_is_never_recorded(project: Path, tmp_path: Path) -> None:
    """A `.tf` hidden in the cache directory is scanned like any file (docs/ci.md); a run
    that walks into the cache cannot tell its changes from the cache's own, so it is not
    recorded."""
    cache = project / ".cache" / "sovlint"
    sovlint(project, cache, ".")
    hidden = cache / "v1" / "hidden.tf"
    hidden.write_text('resource "aws_s3_bucket" "h" {\n  bucket = "h"\n}\n')
    first = sovlint(project, cache, ".")
    assert "aws_s3_bucket.h" in first[1]
    assert entries(cache) == []
    hidden.write_text('resource "aws_s3_bucket" "k" {\n  bucket = "k"\n}\n')
    again = sovlint(project, cache, ".", trace=True)
    assert again[3] and "aws_s3_bucket.k" in again[1]


def test_a_fifo_in_place_of_a_read_file_never_hangs_a_replay(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = sovlint(project, cache, "infra")
    assert len(entries(cache)) == 1
    main = project / "infra" / "main.tf"
    main.unlink()
    os.mkfifo(main)
    assert replay.content_fact(str(main)) == "!1"
    again = sovlint(project, cache, "infra", trace=True)  # the timeout would fail it
    assert again[3] and again[0] == 1 and "SOV001" in again[1] and first[1] != again[1]


def test_a_catalog_override_edit_is_seen(project: Path, tmp_path: Path) -> None:
    override = project / "catalog.yaml"
    override.write_text("providers: []\n")

    def edit() -> None:
        override.write_text("providers: [\n")  # now an error: exit 2, one line

    before = sovlint(project, tmp_path / "cache", "--catalog", str(override), "infra")
    edit()
    after = sovlint(project, tmp_path / "cache", "--catalog", str(override), "infra", trace=True)
    assert after[3] and after[0] == 2 and before[0] == 1


def test_the_environment_a_scan_reads_is_part_of_the_key(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    sovlint(project, cache, "infra")
    assert sovlint(project, cache, "infra", trace=True, TF_VAR_region="x")[3]
    assert sovlint(project, cache, "infra", trace=True, TF_VAR_region="x")[3] is False
    # A CI job's run id is not something a scan reads: the run is replayed.
    assert (
        sovlint(project, cache, "infra", trace=True, TF_VAR_region="x", CI_JOB_ID="7")[3] is False
    )


_READS = re.compile(
    r"""(?:environ\.get\(\s*|environ\[\s*|getenv\(\s*)["']([A-Za-z_][A-Za-z0-9_]*)["']"""
    r"""|["']([A-Za-z_][A-Za-z0-9_]*)["']\s+(?:not\s+)?in\s+os\.environ"""
)


def _read_by_name(package_dir: Path) -> set[str]:
    names: set[str] = set()
    for path in package_dir.rglob("*.py"):
        for m in _READS.finditer(path.read_text(encoding="utf-8", errors="replace")):
            names.add(m.group(1) or m.group(2))
    return names


def test_every_variable_read_by_name_is_in_the_key() -> None:
    import typer

    from sovlint.engine import env_variables
    from sovlint.integrations.checkov.settings import PROFILE_ENV

    read = _read_by_name(Path(replay.__file__).parent) | _read_by_name(Path(typer.__file__).parent)
    assert {"SOVLINT_CACHE_DIR", "XDG_CACHE_HOME", "NO_COLOR", "FORCE_COLOR"} <= read  # not vacuous
    read.add(PROFILE_ENV)
    uncovered = {
        n for n in read if n not in replay.ENV_NAMES and not n.startswith(replay.ENV_PREFIXES)
    }
    assert uncovered == set()
    # --env-vars reads TF_VAR_name by prefix
    assert env_variables({"TF_VAR_a": "1", "OTHER": "2"}) == (("a", "1"),)
    assert "TF_VAR_a".startswith(replay.ENV_PREFIXES)


@pytest.mark.parametrize(
    "args",
    [
        ["--no-cache", "infra"],
        ["-f", "json", "-o", "/dev/stdout", "infra"],  # a device: the bytes cannot be kept
        ["-f", "json", "-o", "report.json", "--compare", "report.json", "infra"],
        ["--write-baseline", "base.json", "infra"],
        ["--fail-on", "bogus", "infra"],  # a usage error (exit 2) is never stored
    ],
)
def test_runs_that_are_never_recorded(project: Path, tmp_path: Path, args: list[str]) -> None:
    cache = tmp_path / "cache"
    if "--compare" in args:  # a previous report to compare with, overwritten by the run
        sovlint(project, tmp_path / "first", "-f", "json", "-o", "report.json", "infra")
    for _ in range(2):  # the second run may record what the first one (filling the cache) did not
        sovlint(project, cache, *args)
    assert entries(cache) == []


def test_report_files_are_written_again_on_replay(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    args = ["-f", "text", "-f", "sarif", "-o", "out/sovlint.sarif", "infra"]
    (project / "out").mkdir()
    first = sovlint(project, cache, *args)
    report = project / "out" / "sovlint.sarif"
    written = report.read_bytes()
    report.chmod(0o640)
    report.write_text("stale")
    again = sovlint(project, cache, *args, trace=True)
    assert again[:3] == first[:3] and not again[3]
    assert report.read_bytes() == written
    assert report.stat().st_mode & 0o777 == 0o640  # as the scan writes it: the mode is kept
    # a report that is a link: its target is replaced, the link stays
    target = project / "out" / "target.sarif"
    report.rename(target)
    report.symlink_to("target.sarif")
    target.write_text("stale")
    assert not sovlint(project, cache, *args, trace=True)[3]
    assert report.is_symlink() and target.read_bytes() == written


def test_a_report_to_dev_null_is_replayed(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    args = ["-f", "json", "-o", os.devnull, "infra"]
    first = sovlint(project, cache, *args)
    again = sovlint(project, cache, *args, trace=True)
    assert again[:3] == first[:3] and not again[3]


def _entry(*args: Any) -> bytes:
    """An entry as the recorder writes it (the pieces of `replay.serialized`, joined)."""
    return b"".join(replay.serialized(*args))


@pytest.mark.parametrize("damage", ["truncate", "flip", "no-facts"])
def test_a_damaged_entry_is_a_miss(project: Path, tmp_path: Path, damage: str) -> None:
    cache = tmp_path / "cache"
    first = sovlint(project, cache, "infra")
    (entry,) = entries(cache)
    data = entry.read_bytes()
    if damage == "truncate":
        data = data[:-3]
    elif damage == "flip":
        data = data[:-1] + bytes([data[-1] ^ 1])
    else:  # claims a clean run of nothing
        data = _entry(0, [], b"hello", b"")
    entry.write_bytes(data)
    again = sovlint(project, cache, "infra", trace=True)
    assert again[:3] == first[:3] and again[3]


def test_entries_round_trip() -> None:
    facts = [("C", "/a\tb\nc", "x"), ("S", "/d", "-"), ("L", "/e", "!")]
    files = [("/r.sarif", b"{}"), ("/dev/null", None), ("/e", b"")]
    data = _entry(1, facts, b"out\n\n", b"err", files)
    assert replay.parse(data) == (1, facts, b"out\n\n", b"err", files)
    assert replay.parse(data, verify=False) == replay.parse(data) and replay.verified(data)
    flipped = data[:-1] + bytes([data[-1] ^ 1])  # a report's last byte
    assert replay.parse(flipped) is None and not replay.verified(flipped)
    assert replay.parse(flipped, verify=False) is not None  # (what replay() then verifies)
    assert replay.parse(_entry(1, facts, b"o", b"")) == (1, facts, b"o", b"", [])
    assert replay.parse(_entry(2, facts, b"", b"")) is None  # only exit 0 or 1


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_parse_never_raises(data: bytes) -> None:
    for entry in (data, b"sovlint-replay 1\n" + data):
        replay.parse(entry)
        replay.parse(entry, verify=False)
        replay.verified(entry)


@pytest.mark.parametrize(
    ("argv", "ok"),
    [
        (["scan", "x.tf"], True),
        (["scan", "-p", "secnumcloud", "a.tf", "b.tf"], True),
        (["scan", "-f", "json", "."], True),
        (["rules"], False),
        (["scan", "-"], False),
        (["scan", "-o", "r.json"], True),
        (["scan", "--output=r.json"], True),
        (["scan", "-qo", "r.json"], False),
        (["scan", "--help"], False),
        (["scan", "-h"], False),
        (["scan", "--render", "helm"], False),
        (["scan", "--no-cache"], False),
        (["scan", "--output-format", "grouped"], True),
        ([], False),
    ],
)
def test_eligible_command_lines(argv: list[str], ok: bool) -> None:
    assert replay.eligible(argv) is ok


def test_replay_entries_are_cache_entries(tmp_path: Path) -> None:
    key = "ab" + "0" * 62
    path = Path(replay.entry_path(str(tmp_path), key))
    assert is_entry(path, tmp_path)
    assert is_entry(path.with_name(f".tmp-1-{key}.bin"), tmp_path)
    assert not is_entry(path.with_name("main.tf"), tmp_path)


def test_the_replay_module_imports_only_built_ins() -> None:
    code = (
        "import sys; before = set(sys.modules); import sovlint.replay; "
        "print(sorted(set(sys.modules) - before))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert set(eval(out)) <= {"__future__", "sovlint", "sovlint.cache_location", "sovlint.replay"}


@settings(max_examples=2000, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "b.tf", ".", "..", "", ".x", "..x", "x..", "..."]), max_size=6)
)
def test_normal_path_is_normpath(parts: list[str]) -> None:
    path = "/" + "/".join(parts)
    assert replay.normal_path(path) == os.path.normpath(path)
