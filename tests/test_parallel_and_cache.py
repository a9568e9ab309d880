"""--jobs and the parse cache change speed, never results."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from corpus import generate  # noqa: E402

from sovlint.cache import Cache  # noqa: E402


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    generate(out, modules=24, seed=7, manifests=16)
    (out / "terraform" / "module-00003" / "broken.tf").write_text('resource "x" "y" {\n  a = \n')
    return out


def scan(corpus: Path, cache_dir: Path, *args: str) -> bytes:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), SOVLINT_CACHE_DIR=str(cache_dir))
    proc = subprocess.run(
        [sys.executable, "-m", "sovlint", "scan", ".", "-f", "json", *args],
        cwd=corpus, env=env, capture_output=True, timeout=300, check=False,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    return proc.stdout


def test_same_bytes_for_any_jobs_and_cache_state(corpus: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    reference = scan(corpus, cache_dir, "--no-cache", "--jobs", "1")
    assert b'"SOV001"' in reference
    assert scan(corpus, cache_dir, "--no-cache", "--jobs", "2") == reference
    assert not cache_dir.exists()  # --no-cache writes nothing
    assert scan(corpus, cache_dir, "--jobs", "2") == reference  # cold: fills the cache
    entries = list(cache_dir.rglob("*.json"))
    assert len(entries) > 24
    assert list(cache_dir.rglob("k8s/*/*.json")), "manifests are cached too"
    assert scan(corpus, cache_dir, "--jobs", "1") == reference  # warm
    # Corrupt entries are ignored and rewritten. Every result entry is corrupted too: a root
    # or manifest whose result entry is intact is not parsed again, so its parse entries are
    # never read (and stay as they are, harmlessly).
    results = [e for e in entries if "/result/" in e.as_posix()]
    assert results
    corrupted = results + [e for e in entries if "/result/" not in e.as_posix()][:10]
    # The replay of this unchanged command line (sovlint.replay) does not depend on these
    # entries; damage it too, so the run below reads them.
    for replayed in cache_dir.rglob("replay/*/*.bin"):
        replayed.write_bytes(b"damaged")
    for entry in corrupted:
        entry.write_text("{not json")
    assert scan(corpus, cache_dir, "--jobs", "2") == reference
    assert all(e.read_text().startswith("{") and e.read_text() != "{not json" for e in corrupted)


def test_cache_is_bounded(tmp_path: Path) -> None:
    cache = Cache(tmp_path, max_bytes=4000)
    for i in range(100):
        cache.put("hcl", cache.key("hcl", str(i)), {"body": "x" * 100})
    cache.prune()
    total = sum(p.stat().st_size for p in tmp_path.rglob("*.json"))
    assert 0 < total <= 4000
    assert cache.get("hcl", cache.key("hcl", "99")) is not None  # the newest survive


def test_unwritable_cache_never_fails_a_scan(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    cache = Cache(blocker / "sub")  # a directory that cannot be created
    cache.put("hcl", "k" * 64, {"a": 1})
    assert cache.get("hcl", "k" * 64) is None


def test_cached_yaml_trees_build_the_same_catalog(tmp_path: Path) -> None:
    from sovlint.catalog.load import load_catalog
    from sovlint.yamlpos import use_cache

    def snapshot() -> list[object]:
        cat = load_catalog()
        return [
            sorted(
                (
                    k,
                    p.provenance,
                    tuple(
                        sorted(
                            (g.variant or "", r, c)
                            for g in p.region_groups
                            for r, c in g.countries.items()
                        )
                    ),
                )
                for k, p in cat.providers.items()
            ),
            sorted((k, o.provenance, o.exposure) for k, o in cat.operators.items()),
            [(h.pattern, h.provenance) for h in cat.hosts],
        ]

    plain = snapshot()
    try:
        use_cache(Cache(tmp_path))
        cold = snapshot()
        warm = snapshot()  # decoded from the JSON entries written by the cold load
    finally:
        use_cache(None)
    assert plain == cold == warm
    assert list(tmp_path.rglob("*.json"))


def test_no_process_pool_falls_back_to_one_process(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import concurrent.futures

    from sovlint import parallel

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(38, "Function not implemented")  # e.g. no /dev/shm for semaphores

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refuse)
    monkeypatch.setattr(parallel, "MIN_BYTES_FOR_POOL", 0)
    files = []
    for i in range(12):
        path = tmp_path / f"f{i}.tf"
        path.write_text(f'resource "hcloud_server" "s{i}" {{\n  location = "ash"\n}}\n')
        files.append((path, False))
    assert parallel.preparse(files, jobs=2, max_size=1 << 20, cache=None) == {}


def test_cache_is_pruned_at_most_once_a_day(tmp_path: Path) -> None:
    cache = Cache(tmp_path, max_bytes=1000)
    for i in range(30):
        cache.put("hcl", cache.key("hcl", str(i)), {"body": "x" * 100})
    cache.prune(now=1_000_000.0)
    after_first = sum(p.stat().st_size for p in tmp_path.rglob("*.json"))
    assert after_first <= 1000
    for i in range(30, 60):
        cache.put("hcl", cache.key("hcl", str(i)), {"body": "x" * 100})
    cache.prune(now=1_000_000.0 + 3600)  # an hour later: no walk
    assert sum(p.stat().st_size for p in tmp_path.rglob("*.json")) > 1000
    cache.prune(now=1_000_000.0 + 25 * 3600)  # a day later: walked again
    assert sum(p.stat().st_size for p in tmp_path.rglob("*.json")) <= 1000


def test_pool_and_one_process_give_the_same_report(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Small trees parse in one process; force the pool to compare both on the same tree."""
    from sovlint import __version__, parallel
    from sovlint.profiles import load_profile
    from sovlint.reporters import Report, renderer
    from sovtest import catalog, run_scan

    profile = load_profile("sovereign-eu", catalog())

    def report(jobs: int) -> str:
        result = run_scan(corpus, jobs=jobs)
        return renderer("json")(Report(result, profile, __version__, []), False)

    one = report(1)
    monkeypatch.setattr(parallel, "MIN_BYTES_FOR_POOL", 0)
    parsed: list[int] = []
    real = parallel.preparse

    def spy(*args: Any, **kwargs: Any) -> Any:
        out = real(*args, **kwargs)
        parsed.append(len(out))
        return out

    monkeypatch.setattr(parallel, "preparse", spy)
    assert report(2) == one
    assert parsed and parsed[0] > 24  # the pool parsed the files
