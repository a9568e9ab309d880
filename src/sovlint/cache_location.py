"""Where the cache lives and how its entry files are named: shared by sovlint.cache and by
sovlint.replay, which must import nothing beyond the interpreter's built-in modules."""

from __future__ import annotations

import os

PRUNE_STAMP = ".last-prune"
TEMPORARY_PREFIX = ".tmp-"
ENTRY_SUFFIXES = ("json", "bin")  # sovlint.cache's JSON entries, sovlint.replay's entries


def cache_dir() -> str:
    """$SOVLINT_CACHE_DIR, else $XDG_CACHE_HOME/sovlint, else ~/.cache/sovlint."""
    explicit = os.environ.get("SOVLINT_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "sovlint")


def entry_stem(name: str) -> str | None:
    """The key an entry file is named by (`<sha256>.json`, `<sha256>.bin`), else None."""
    stem, dot, suffix = name.rpartition(".")
    hexadecimal = len(stem) == 64 and all(c in "0123456789abcdef" for c in stem)
    return stem if dot and suffix in ENTRY_SUFFIXES and hexadecimal else None
