"""Make the shared helpers in tests/sovtest.py importable from every test directory."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
pytest.register_assert_rewrite("sovtest")
