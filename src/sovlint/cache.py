"""A content-addressed on-disk cache for derived data (parsed files, the compiled catalog).

Entries are JSON (never pickle: a cache restored from elsewhere must not be able to run code),
keyed by a hash of the content, sovlint's version and the parser's version, written
atomically (concurrent runs are safe), ignored and removed when corrupt, and pruned to a
size bound. Location: $SOVLINT_CACHE_DIR, else $XDG_CACHE_HOME/sovlint, else ~/.cache/sovlint.

Treat it like any build cache: do not restore it from an untrusted source (a poisoned entry
could change verdicts); `--no-cache` bypasses it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from sovlint import __version__

DEFAULT_MAX_BYTES = 256 * 1024 * 1024
FORMAT = 1


def default_dir() -> Path:
    explicit = os.environ.get("SOVLINT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sovlint"


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

    @property
    def enabled(self) -> bool:
        return self.root is not None

    def _path(self, namespace: str, key: str) -> Path:
        assert self.root is not None
        return self.root / f"v{FORMAT}" / namespace / key[:2] / f"{key}.json"

    def key(self, namespace: str, *parts: str | bytes) -> str:
        return digest(namespace, __version__, *parts)

    def has(self, namespace: str, key: str) -> bool:
        return self.root is not None and self._path(namespace, key).is_file()

    def get(self, namespace: str, key: str) -> Any:
        if self.root is None:
            return None
        path = self._path(namespace, key)
        try:
            with path.open("r", encoding="utf-8") as fh:
                value = json.load(fh)
        except FileNotFoundError:
            self.misses += 1
            return None
        except (OSError, ValueError):
            self.misses += 1
            with contextlib.suppress(OSError):
                path.unlink()  # corrupt or unreadable: drop it, it will be rewritten
            return None
        self.hits += 1
        return value

    def put(self, namespace: str, key: str, value: Any) -> None:
        if self.root is None:
            return
        path = self._path(namespace, key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump(value, fh, separators=(",", ":"))
                os.replace(tmp, path)
                self._written += path.stat().st_size
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        except OSError:
            return  # a read-only or full cache directory never fails a scan

    def prune(self) -> None:
        """Keep the cache under its size bound, oldest entries first. Cheap when nothing was written."""
        if self.root is None or self._written == 0:
            return
        base = self.root / f"v{FORMAT}"
        entries = []
        total = 0
        for dirpath, _dirs, files in os.walk(base):
            for name in files:
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
