"""A content-addressed on-disk cache for derived data (parsed files, the compiled catalog).

Entries are JSON (never pickle: a cache restored from elsewhere must not be able to run code),
keyed by a hash of the content, sovlint's version and the parser's version, written
atomically (concurrent runs are safe), ignored and removed when corrupt, and pruned to a
size bound (checked at most once a day: a stamp file records the last walk). Location: $SOVLINT_CACHE_DIR, else $XDG_CACHE_HOME/sovlint, else ~/.cache/sovlint.

Treat it like any build cache: do not restore it from an untrusted source (a poisoned entry
could change verdicts); `--no-cache` bypasses it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

from sovlint import __version__
from sovlint.cache_location import PRUNE_STAMP, TEMPORARY_PREFIX, cache_dir, entry_stem

DEFAULT_MAX_BYTES = 256 * 1024 * 1024
FORMAT = 1
PRUNE_EVERY_SECONDS = 24 * 3600  # walking a large cache costs more than a warm scan


def default_dir() -> Path:
    return Path(cache_dir())


def is_entry(path: Path, root: Path) -> bool:
    """Is `path` (under the real cache root `root`) a file this cache wrote?

    An entry (`v1/<namespace>/ab/<sha256>.json`, `.bin` for a replay), a temporary file
    being written, or the prune stamp. Discovery skips exactly these when the cache lives inside a scanned tree
    (`XDG_CACHE_HOME=$PWD/.cache`); any other file there (a `.tf` a pull request hid in the
    cache directory) is scanned like every file.
    """
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return False
    if len(parts) == 2:
        return _is_version(parts[0]) and parts[1] == PRUNE_STAMP
    if len(parts) != 4 or not _is_version(parts[0]):
        return False
    shard, name = parts[2], parts[3]
    if name.startswith(TEMPORARY_PREFIX):
        return True
    stem = entry_stem(name)
    return stem is not None and stem[:2] == shard


def _is_version(part: str) -> bool:
    return part[:1] == "v" and part[1:].isdigit()


def digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


class Cache:
    def __init__(self, root: Path | None, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self.hits = 0
        self.misses = 0
        self._written = 0
        self._made: set[Path] = set()

    @property
    def enabled(self) -> bool:
        return self.root is not None

    def _path(self, namespace: str, key: str) -> Path:
        return Path(self._file(namespace, key))

    def _file(self, namespace: str, key: str) -> str:
        """An entry's path as a string (a warm scan reads thousands: no Path per read)."""
        assert self.root is not None
        return f"{str(self.root).rstrip('/')}/v{FORMAT}/{namespace}/{key[:2]}/{key}.json"

    def key(self, namespace: str, *parts: str | bytes) -> str:
        return digest(namespace, __version__, *parts)

    def has(self, namespace: str, key: str) -> bool:
        return self.root is not None and self._path(namespace, key).is_file()

    def get(self, namespace: str, key: str) -> Any:
        if self.root is None:
            return None
        path = self._file(namespace, key)
        try:
            with open(path, "rb", buffering=0) as fh:  # one read of the whole entry
                value = json.loads(fh.readall())
        except FileNotFoundError:
            self.misses += 1
            return None
        except (OSError, ValueError):
            self.misses += 1
            with contextlib.suppress(OSError):
                os.unlink(path)  # corrupt or unreadable: drop it, it will be rewritten
            return None
        self.hits += 1
        return value

    def put(self, namespace: str, key: str, value: Any) -> None:
        """Store `value` atomically: one C-encoded `json.dumps`, one write, one rename."""
        if self.root is None:
            return
        path = self._path(namespace, key)
        import tempfile  # (its random-name machinery is only needed to write)

        data = json.dumps(value, separators=(",", ":")).encode("utf-8", "surrogatepass")
        try:
            if path.parent not in self._made:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._made.add(path.parent)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, path)
                self._written += len(data)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        except OSError:
            return  # a read-only or full cache directory never fails a scan

    def prune(self, now: float | None = None) -> None:
        """Keep the cache under its size bound, oldest entries first. Runs only when this
        run wrote something and the last walk is more than a day old (a stamp file)."""
        if self.root is None or self._written == 0:
            return
        base = self.root / f"v{FORMAT}"
        stamp = base / PRUNE_STAMP
        now = time.time() if now is None else now
        try:
            if now - stamp.stat().st_mtime < PRUNE_EVERY_SECONDS:
                return
        except OSError:
            pass  # never pruned (or unreadable stamp): walk now
        with contextlib.suppress(OSError):
            stamp.touch()
            os.utime(stamp, (now, now))
        from sovlint.replay import unrecorded

        with unrecorded():  # upkeep, not something the scan read
            self._prune_walk(base)

    def _prune_walk(self, base: Path) -> None:
        entries = []
        total = 0
        for dirpath, _dirs, files in os.walk(base):
            for name in files:
                if name == PRUNE_STAMP:
                    continue
                path = Path(dirpath) / name
                try:
                    st = path.stat()
                except OSError:
                    continue
                entries.append((st.st_mtime, st.st_size, path))
                total += st.st_size
        if total <= self.max_bytes:
            return
        for _mtime, size, path in sorted(entries):
            with contextlib.suppress(OSError):
                path.unlink()
            total -= size
            if total <= self.max_bytes * 0.8:
                break
