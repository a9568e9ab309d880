"""The result cache for plain manifest files (frontends/kubernetes/cached.py): a warm scan
gives the bytes of an uncached one, an edited manifest is judged again, and only files whose
objects depend on their own text alone are cached."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from sovlint.frontends.kubernetes.cached import plain_manifests
from sovtest import FIXTURES
from test_result_cache import PAST, _age, _entries, _scan

PLAIN = "sov200-pass/app.yaml"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """The Kubernetes fixtures: charts, values, kustomize, lists, suppressions, broken files."""
    out = tmp_path / "tree"
    shutil.copytree(FIXTURES / "kubernetes", out, symlinks=True, ignore=_no_alias_bomb)
    _age(out)
    return out


def _no_alias_bomb(directory: str, names: list[str]) -> list[str]:
    return ["alias-bomb"] if "alias-bomb" in names else []


def test_same_bytes_without_cold_and_warm(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    for profile in ("sovereign-eu", "residency-eu"):
        reference = _scan(tree, None, "--profile", profile)
        assert '"SOV001"' in reference
        assert profile != "sovereign-eu" or '"suppressed": true' in reference
        assert _scan(tree, cache, "--profile", profile) == reference  # cold: fills it
        assert _scan(tree, cache, "--profile", profile) == reference  # warm
        assert _scan(tree, cache, "--profile", profile, "--jobs", "2") == reference
    assert _entries(cache) > 20


def test_an_edited_manifest_is_judged_again(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    before = _scan(tree, cache)
    target = tree / PLAIN
    text = target.read_text()
    assert "rg.fr-par.scw.cloud" in text
    target.write_text(text.replace("rg.fr-par.scw.cloud", "public.ecr.aws", 1))
    after = _scan(tree, cache)
    assert after != before
    assert after == _scan(tree, None)
    assert "public.ecr.aws" in after


def test_same_size_same_mtime_edit_is_seen(tree: Path, tmp_path: Path) -> None:
    """An edit that keeps size and mtime (restored with utime) changes the ctime: re-hashed."""
    cache = tmp_path / "cache"
    target = tree / PLAIN
    before = _scan(tree, cache)
    text = target.read_text()
    edited = text.replace("rg.fr-par.scw.cloud", "rg.us-eas.scw.cloud", 1)
    assert len(edited) == len(text) and edited != text
    target.write_text(edited)
    os.utime(target, (PAST, PAST))
    after = _scan(tree, cache)
    assert after != before
    assert after == _scan(tree, None)


def test_a_new_chart_around_a_cached_manifest_is_seen(tree: Path, tmp_path: Path) -> None:
    """A file judged as a plain manifest, then made a chart template by a new Chart.yaml, is
    not replayed from the cache: it is a template now (SOV002), as without the cache."""
    cache = tmp_path / "cache"
    chart = tree / "later-chart"
    (chart / "templates").mkdir(parents=True)
    shutil.copy(tree / PLAIN, chart / "templates" / "app.yaml")
    before = _scan(tree, cache)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: later\nversion: 0.1.0\n")
    after = _scan(tree, cache)
    assert after != before
    assert after == _scan(tree, None)


def test_only_plain_manifests_are_cached(tmp_path: Path) -> None:
    files = {
        "plain/app.yaml": True,
        "plain/list.json": True,
        "plain/kustomization.yaml": False,
        "plain/notes.txt": False,
        "chart/Chart.yaml": False,
        "chart/values.yaml": False,
        "chart/crds/crd.yaml": False,
        "chart/templates/deploy.yaml": False,
        "unclaimed-chart/templates/deploy.yaml": False,  # its Chart.yaml is not passed
        "deep/templates/x/deploy.yaml": False,
    }
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("apiVersion: v1\nkind: ConfigMap\n")
    (tmp_path / "unclaimed-chart" / "Chart.yaml").write_text("name: x\n")
    link = tmp_path / "plain" / "link.yaml"
    link.symlink_to(tmp_path / "plain" / "app.yaml")
    # directories that are links into a chart: judged by where they lead
    (tmp_path / "via-link").symlink_to(tmp_path / "chart" / "templates")
    (tmp_path / "chart-link").symlink_to(tmp_path / "chart")
    through = [tmp_path / "via-link" / "deploy.yaml", tmp_path / "chart-link" / "values.yaml"]
    claimed = [tmp_path / name for name in files] + [link, *through]
    plain = plain_manifests(claimed)
    assert {p.relative_to(tmp_path).as_posix() for p in plain} == {
        name for name, expected in files.items() if expected
    }
