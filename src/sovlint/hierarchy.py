"""Hierarchical configuration: each scanned file is judged under its nearest `.sovlint.yaml`.

Like ruff: the configuration that applies to a file is the nearest configuration file in its
directory or above it, up to the repository root (the directory holding `.git`) or the
filesystem root. A `.sovlint.yaml` in a subdirectory of a scanned directory applies to the
files under it. The units sovlint judges are whole: a Terraform root module (one directory)
is judged, with the modules it calls, under the nearest configuration of its directory; a
Helm chart under that of its chart directory; any other file under its own directory's.

A run over paths under several configurations is split into parts, one per configuration:
each part discovers the whole run's tree (so a module called from another part is still a
child, not a root) and judges only the units it owns, as a shard does.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

from sovlint.config import CONFIG_NAMES, find_config
from sovlint.discovery import SKIP_DIRS


@functools.lru_cache(maxsize=4096)
def _config_of_directory(directory: str) -> str | None:
    found = find_config(Path(directory))
    return str(found) if found is not None else None


def config_of(path: Path) -> str | None:
    """The configuration file that applies to `path` (a unit's directory or a file), or None
    (built-in defaults). A symbolic link is judged where the link is, not where it leads."""
    directory = path if path.is_dir() and not path.is_symlink() else path.parent
    return _config_of_directory(os.path.abspath(directory))


def nested_configs(directory: Path) -> list[Path]:
    """The directories below `directory` (not itself) that hold a configuration file, in the
    directories a scan walks (links are not followed, SKIP_DIRS are skipped). One listing
    per directory, no other system call."""
    found: list[Path] = []
    pending = [os.fspath(directory)]
    names = frozenset(CONFIG_NAMES)
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as listing:
                entries = list(listing)
        except OSError:
            continue  # the scan reports an unreadable directory itself (SOV001)
        if current != os.fspath(directory) and any(e.name in names for e in entries):
            found.append(Path(current))
        pending.extend(
            e.path for e in entries if e.name not in SKIP_DIRS and e.is_dir(follow_symlinks=False)
        )
    return sorted(found)


def configurations(targets: list[Path]) -> dict[str | None, list[Path]]:
    """Every configuration that applies to some file under `targets`, with the paths it
    applies from (scanned paths, directories holding it): None (no configuration file)
    first, then by path."""
    found: dict[str | None, list[Path]] = {}
    for target in targets:
        found.setdefault(config_of(target), []).append(target)
        if target.is_dir() and not target.is_symlink():
            for child in nested_configs(target):
                found.setdefault(config_of(child), []).append(child)
    return {c: found[c] for c in sorted(found, key=lambda c: (c is not None, c or ""))}


@dataclass(frozen=True)
class Part:
    """The part of a run judged under one configuration: the units whose nearest
    configuration is `config` (None: those under no configuration file). A unit under none
    of the run's configurations (reached through a symbolic link) belongs to the `fallback`
    part, the run's first: never to no part at all."""

    config: str | None
    known: frozenset[str | None] = frozenset()  # the configurations of all the run's parts
    fallback: bool = False

    def owns(self, path: Path) -> bool:
        found = config_of(path)
        if found == self.config:
            return True
        return self.fallback and found not in self.known
