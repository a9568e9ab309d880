"""Deterministic sharding of a scan across CI runners (`--shard K/N`)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sovlint.hierarchy import Part


def shard_of(key: str, count: int) -> int:
    """Which of `count` shards (0-based) owns a path: stable across machines and runs."""
    return (
        int.from_bytes(hashlib.sha256(key.encode("utf-8", "surrogatepass")).digest()[:8], "big")
        % count
    )


def parse_shard(text: str) -> tuple[int, int]:
    """`K/N` (1-based K) -> (K-1, N)."""
    k_text, sep, n_text = text.partition("/")
    try:
        k, n = int(k_text), int(n_text)
    except ValueError:
        k = n = 0
    if not sep or n < 1 or not 1 <= k <= n:
        raise ValueError(f"--shard {text!r}: expected K/N with 1 <= K <= N, e.g. 2/4")
    return k - 1, n


def owns(shard: tuple[int, int] | None, part: Part | None, path: Path, shown: str) -> bool:
    """Whether a run judges the unit at `path` (displayed as `shown`): the units of its
    shard (`--shard K/N`), of its configuration's part of the tree (sovlint.hierarchy)."""
    if shard is not None and shard_of(shown, shard[1]) != shard[0]:
        return False
    return part is None or part.owns(path)
