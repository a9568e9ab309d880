"""Snapshot files under tests/snapshots: compared byte for byte; regenerated with
SOVLINT_UPDATE_SNAPSHOTS=1 (then review the diff before committing)."""

from __future__ import annotations

import os
from pathlib import Path

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"


def assert_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("SOVLINT_UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if not path.exists():
        raise AssertionError(f"snapshot {name} is missing (SOVLINT_UPDATE_SNAPSHOTS=1 writes it)")
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{name} changed (SOVLINT_UPDATE_SNAPSHOTS=1 regenerates it)"
