"""Each hostile test gets its own, empty parse cache: a case must be parsed, not served from a
cache entry that an earlier case with the same bytes left behind."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _fresh_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("SOVLINT_CACHE_DIR", str(cache))
    return cache
