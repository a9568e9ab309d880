"""Repository-relative paths: how CI reports (SARIF, GitHub, GitLab, JUnit) and baselines name files.

Findings carry paths as the scanner displayed them (relative to the directory
sovlint ran in). CI systems and baselines need a path that does not depend on
that directory: the path relative to the source root, which is the nearest
enclosing git work tree (a directory holding `.git`), or the run directory
when there is none.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path


def find_root(start: Path) -> Path:
    """The nearest directory at or above `start` that holds `.git`, else `start` (absolute)."""
    here = Path(start).resolve()
    for directory in (here, *here.parents):
        if (directory / ".git").exists():
            return directory
    return here


@functools.lru_cache(maxsize=64)
def _resolved(directory: Path) -> Path:
    """The run directory and source root, resolved once (reports name thousands of files)."""
    return Path(directory).resolve()


def absolute(file: str, cwd: Path) -> str:
    """A finding's path made absolute against the run directory, without following symlinks.
    (String operations: a report names thousands of files, and pathlib's parsing of each was
    a tenth of a warm scan of many files; sovlint runs on POSIX systems.)"""
    if not os.path.isabs(file):
        file = os.path.join(str(_resolved(cwd)), file or ".")
    return os.path.normpath(file)


def repo_relative(file: str, cwd: Path, root: Path) -> str | None:
    """POSIX path of `file` relative to `root`, or None when the file lies outside it."""
    path = absolute(file, cwd)
    for base, prefix in _bases(root):
        if path == base:
            return "."
        if path.startswith(prefix):
            return path[len(prefix) :]
    return None


@functools.lru_cache(maxsize=64)
def _bases(root: Path) -> tuple[tuple[str, str], ...]:
    """The root as given and resolved, each with the prefix of the paths under it."""
    out = []
    for base in (os.path.normpath(root), os.path.normpath(_resolved(root))):
        out.append((base, base if base.endswith("/") else base + "/"))
    return tuple(out)


def report_path(file: str, cwd: Path, root: Path) -> str:
    """The repository-relative path, or the absolute POSIX path for a file outside the root."""
    rel = repo_relative(file, cwd, root)
    return rel if rel is not None else absolute(file, cwd)
