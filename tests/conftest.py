"""Make the shared helpers in tests/sovtest.py importable from every test directory."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
pytest.register_assert_rewrite("sovtest")


# CLI subprocesses started by tests must not read or fill the user's cache.
os.environ.setdefault("SOVLINT_CACHE_DIR", tempfile.mkdtemp(prefix="sovlint-test-cache-"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-snapshots",
        action="store_true",
        default=False,
        help="Rewrite the rule snapshots (fixtures/**/SOVnnn.snap) from the current output.",
    )
