"""The result cache (sovlint.results) changes speed, never output: byte-identical reports with
and without it, and every input that decides a root module's findings invalidates it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from sovtest import FIXTURES, ROOT

PAST = 1_600_000_000  # files older than the racy window: their stat is trusted


def _scan(tree: Path, cache: Path | None, *args: str) -> str:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), NO_COLOR="1")
    env["SOVLINT_CACHE_DIR"] = str(cache or tree.parent / "unused-cache")
    flags = ["--no-cache"] if cache is None else []
    proc = subprocess.run(
        [sys.executable, "-m", "sovlint", "scan", ".", "-f", "json", *flags, *args],
        cwd=tree, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert proc.returncode in (0, 1), proc.stderr
    return proc.stdout


def _age(tree: Path) -> None:
    for path in tree.rglob("*"):
        os.utime(path, (PAST, PAST), follow_symlinks=False)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """The Terraform fixtures: module calls, tfvars, suppressions, broken files, modules.json."""
    out = tmp_path / "tree"
    shutil.copytree(FIXTURES / "terraform", out, symlinks=True)
    _age(out)
    return out


def _entries(cache: Path) -> int:
    return len(list(cache.rglob("result/*/*.json")))


def test_same_bytes_without_cold_and_warm_any_jobs(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    reference = _scan(tree, None, "--jobs", "1")
    assert '"SOV001"' in reference and '"suppressed": true' in reference
    assert _scan(tree, cache, "--jobs", "2") == reference  # cold: fills the result cache
    assert _entries(cache) > 10
    assert _scan(tree, cache, "--jobs", "1") == reference  # warm: every root from the cache
    assert _scan(tree, cache, "--jobs", "2") == reference


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


CHANGES: dict[str, Callable[[Path], None]] = {
    "tfvars": lambda t: _edit(t / "modules/nested-region/terraform.tfvars", '"ash"', '"fsn1"'),
    "called-module-file": lambda t: _edit(
        t / "modules/nested-region/modules/storage/main.tf",
        "  location = var.location\n}",
        '  location = "fsn1"\n}',
    ),
    "new-file-in-called-module": lambda t: (
        t / "modules/nested-region/modules/disk/extra.tf"
    ).write_text('resource "aws_s3_bucket" "extra" {\n  bucket = "x"\n}\n'),
    "backend-config-file": lambda t: _edit(
        t / "backend-config-us/dev.tfbackend", '"eu-west-3"', '"us-west-2"'
    ),
    "new-backend-config-file": lambda t: (t / "backend-config-eu/backends/us.tfbackend").write_text(
        'bucket = "tfstate-us"\nregion = "us-east-2"\n'
    ),
    "modules-json": lambda t: _edit(
        t / "modules/remote-initialised/.terraform/modules/modules.json",
        '"Key":"bucket"',
        '"Key":"other"',
    ),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_changed_input_is_seen(change: str, tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    before = _scan(tree, cache)
    CHANGES[change](tree)
    after = _scan(tree, cache)
    assert after == _scan(tree, None)
    assert after != before


def test_same_size_same_mtime_edit_is_seen(tree: Path, tmp_path: Path) -> None:
    """An edit that keeps size and mtime (restored with utime) changes the ctime: re-hashed."""
    cache = tmp_path / "cache"
    target = tree / "sov100-aws-eu-west-3" / "main.tf"
    before = _scan(tree, cache)
    text = target.read_text()
    assert "eu-west-3" in text
    target.write_text(text.replace("eu-west-3", "us-east-1"))
    os.utime(target, (PAST, PAST))
    after = _scan(tree, cache)
    assert after != before
    assert after == _scan(tree, None)


def test_profile_catalog_and_config_changes_are_seen(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _scan(tree, cache)
    for profile in ("residency-eu", "secnumcloud"):
        assert _scan(tree, cache, "--profile", profile) == _scan(tree, None, "--profile", profile)
    override = tmp_path / "override.yaml"
    override.write_text(
        "hosts:\n  - match: api.openai.com\n    operator: ovh\n    kind: saas\n"
        "    source: https://example.eu/hosts\n    as_of: 2026-01-01\n"
    )
    with_override = _scan(tree, cache, "--catalog", str(override))
    assert with_override == _scan(tree, None, "--catalog", str(override))
    assert with_override != _scan(tree, cache)
    override.write_text(override.read_text().replace("operator: ovh", "operator: scaleway"))
    assert _scan(tree, cache, "--catalog", str(override)) == _scan(
        tree, None, "--catalog", str(override)
    )
    plain = _scan(tree, cache)
    config = tree / ".sovlint.yaml"
    config.write_text("disable: [SOV101]\n")
    disabled = _scan(tree, cache)
    assert disabled == _scan(tree, None)
    assert disabled != plain
    config.write_text("severity:\n  SOV101: low\n")
    assert _scan(tree, cache) == _scan(tree, None)


def test_configuration_parts_and_shards_share_the_cache(tree: Path, tmp_path: Path) -> None:
    """A run under several configurations (one part each) and a shard judge each root they own
    as a whole scan does, so they read and fill the same entries, with the same bytes."""
    cache = tmp_path / "cache"
    nested = tree / "modules" / ".sovlint.yaml"
    nested.write_text("disable: [SOV104]\nseverity:\n  SOV102: low\n")
    reference = _scan(tree, None)
    assert '"applies_to": ["modules"]' in reference
    assert _scan(tree, cache) == reference  # cold, in two parts: fills the cache
    assert _entries(cache) > 10
    assert _scan(tree, cache) == reference  # warm
    nested.write_text("disable: [SOV104]\n")  # the part's settings key its roots' entries
    assert _scan(tree, cache) == _scan(tree, None)
    for shard in ("1/3", "2/3", "3/3"):
        assert _scan(tree, cache, "--shard", shard) == _scan(tree, None, "--shard", shard)
    shard_cache = tmp_path / "shard-cache"
    _scan(tree, shard_cache, "--shard", "2/3")
    assert _entries(shard_cache) > 0  # a shard's roots are stored too
