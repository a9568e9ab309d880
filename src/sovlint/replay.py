"""Replay of an unchanged invocation: `sovlint scan` run again on inputs that did not change.

A pre-commit hook re-run after another hook failed, `pre-commit run --all-files` twice, a CI
job retried on the same commit: the same command, in the same directory, with the same
environment, on the same files. Such a run replays the previous run's standard output,
standard error and exit code instead of starting the scanner (and typer) at all. What the
previous run depended on is what it touched, recorded while it ran:

- every file it opened: its content hash (files of Python code: size and mtime, as the
  import system itself judges a stale `.pyc`);
- every directory it listed (`os.scandir`, `os.listdir`, hence `os.walk`): each entry's
  name and kind (file, directory, link, other);
- every path it asked about (`os.stat`, `os.lstat`, so `Path.exists()`, `is_file()`,
  `realpath`): missing, or its kind, and for a file or link its size and mtime (a
  `.sovlint.yaml` that did not exist in a parent directory and now does is a change).

The key holds sovlint's version, the interpreter, the working directory, the command line,
the environment (all of it, but a few shell bookkeeping variables), today's date
(suppressions expire) and whether the standard streams are terminals (colour). A replay
happens only when every recorded fact still holds; anything else runs the scan, which then
records a new entry. A run records nothing when it did anything a replay could not repeat
or see: started a process or a pool of workers, wrote outside the cache directory, changed
directory, read standard input, listed a directory by descriptor, walked into the cache
directory or read a file there that no cache wrote (the cache inside the scanned tree: a
`.tf` hidden there is scanned like any file), or exited with an error (exit code other
than 0 or 1); nor when an input changed while it ran.

Modification times are never the key: file contents are hashed on every replay; times only
make a touched file, a stat-only path or a directory entry count as changed.

`--no-cache` neither reads nor writes entries. The entry lives in the cache directory
(`v1/replay/ab/<key>.bin`): a text header of the recorded facts, then the two output
streams; it is parsed as data, never evaluated. This module imports nothing beyond the
interpreter's built-in modules: a replay costs little more than starting Python.
"""

from __future__ import annotations

import io
import os
import sys
import time

TYPE_CHECKING = False  # typing's own import costs more than this module's work
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

FORMAT = "sovlint-replay 1"
NAMESPACE = "replay"
MAX_OUTPUT = 64 * 1024 * 1024  # larger outputs are not stored
VOLATILE_ENV = frozenset({"_", "OLDPWD", "PWD", "SHLVL"})  # shell bookkeeping sovlint never reads
# Options with which a run is never replayed nor recorded: no cache wanted, files written
# besides the cache, a subprocess, help (standard input, `-`, neither).
REFUSED = frozenset({"--no-cache", "--output", "--write-baseline", "--render", "--help"})
CODE_SUFFIXES = (".py", ".pyc", ".so", ".pth")
PROCESS_EVENTS = frozenset(
    {
        "os.fork",
        "os.forkpty",
        "os.exec",
        "os.posix_spawn",
        "os.spawn",
        "os.system",
        "subprocess.Popen",
        "os.chdir",
        "os.fchdir",
    }
)
WRITE_EVENTS = frozenset(
    {
        "os.rename",
        "os.replace",
        "os.remove",
        "os.unlink",
        "os.rmdir",
        "os.mkdir",
        "os.symlink",
        "os.link",
        "os.truncate",
        "os.chmod",
        "os.chown",
        "os.utime",
        "shutil.rmtree",
        "shutil.move",
        "shutil.copyfile",
    }
)
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def _hasher() -> Any:
    try:
        from _blake2 import blake2b  # built in: no OpenSSL to load (hashlib's import is not free)
    except ImportError:  # pragma: no cover - an interpreter built without it
        from hashlib import blake2b
    return blake2b(digest_size=32)


def _digest(*parts: bytes) -> str:
    h = _hasher()
    for part in parts:
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return str(h.hexdigest())


def eligible(argv: list[str]) -> bool:
    """A `scan` whose command line asks for nothing a replay could not repeat."""
    if not argv or argv[0] != "scan":
        return False
    for arg in argv[1:]:
        if arg == "-" or arg.split("=", 1)[0] in REFUSED:
            return False
        if arg.startswith("-") and not arg.startswith("--") and ("o" in arg or "h" in arg):
            return False  # -o FILE, -h, or a cluster holding them (-qo): never guessed
    return True


def cache_root() -> str:
    """The cache directory, as sovlint.cache.default_dir() finds it."""
    explicit = os.environ.get("SOVLINT_CACHE_DIR")
    if explicit:
        return os.path.abspath(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.abspath(os.path.join(base, "sovlint"))


def _tty(fd: int) -> str:
    try:
        return "1" if os.isatty(fd) else "0"
    except OSError:
        return "-"


def invocation_key(argv: list[str]) -> str:
    from sovlint import __version__

    env = sorted((k, v) for k, v in os.environ.items() if k not in VOLATILE_ENV)
    parts = [
        FORMAT,
        __version__,
        os.path.dirname(os.path.abspath(__file__)),
        sys.version,
        sys.executable,
        os.getcwd(),
        time.strftime("%Y-%m-%d"),  # the local date, as datetime.date.today()
        _tty(0) + _tty(1) + _tty(2),
        "\0".join(argv),
        "\0".join(f"{k}={v}" for k, v in env),
    ]
    return _digest(*(os.fsencode(p) for p in parts))


def entry_path(root: str, key: str) -> str:
    return os.path.join(root, "v1", NAMESPACE, key[:2], f"{key}.bin")


# --- facts ---------------------------------------------------------------------------------


def stat_fact(st: os.stat_result | None) -> str:
    """What a stat says that a scan can depend on: missing, a directory, or (anything
    else) its type, size and modification time."""
    if st is None:
        return "-"
    kind = st.st_mode >> 12
    if kind == 0o04:  # a directory: its listing, when read, is a fact of its own
        return "d"
    return f"{kind:o}:{st.st_size}:{st.st_mtime_ns}"


def _stat(path: str, follow: bool, real: Callable[..., os.stat_result]) -> str:
    try:
        return stat_fact(real(path, follow_symlinks=follow))
    except (OSError, ValueError):
        return "-"


def listing_fact(path: str) -> str:
    """The entries of a directory, each its name and kind (link, directory, file, other:
    the directory entry's own type, no system call per entry): what a walk or a listing
    sees. Sizes and contents come from the stat and open facts of the entries it uses.
    `!` when it cannot be listed."""
    rows: list[bytes] = []
    try:
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_symlink():
                    kind = b"l"
                elif entry.is_dir(follow_symlinks=False):
                    kind = b"d"
                elif entry.is_file(follow_symlinks=False):
                    kind = b"f"
                else:
                    kind = b"o"
                rows.append(os.fsencode(entry.name) + b"\0" + kind)
    except (OSError, ValueError):
        return "!"
    rows.sort()
    return _digest(*rows)


def content_fact(path: str) -> str:
    """The hash of a regular file's bytes; `-` when it cannot be read, `!` and its type when
    it is not a regular file (opened without blocking: a FIFO put in its place never hangs
    a replay)."""
    h = _hasher()
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except (OSError, ValueError):
        return "-"
    try:
        kind = os.fstat(fd).st_mode >> 12
        if kind != 0o10:
            return f"!{kind:o}"
        while True:
            block = os.read(fd, 1 << 20)
            if not block:
                break
            h.update(block)
    except OSError:
        return "-"
    finally:
        os.close(fd)
    return str(h.hexdigest())


def holds(kind: str, path: str, fact: str) -> bool:
    if kind == "C":
        return content_fact(path) == fact
    if kind == "L":
        return listing_fact(path) == fact
    if kind in ("S", "T"):  # stat, lstat
        return _stat(path, kind == "S", os.stat) == fact
    return False


# --- replay --------------------------------------------------------------------------------


def replay(argv: list[str]) -> int | None:
    """The previous run's exit code after writing its output again, or None (run the scan)."""
    try:
        with open(entry_path(cache_root(), invocation_key(argv)), "rb") as fh:
            data = fh.read()
    except (OSError, ValueError):
        return None
    parsed = parse(data)
    if parsed is None:
        return None
    rc, facts, out, err = parsed
    for kind, path, fact in facts:
        if not holds(kind, path, fact):
            return None
    for stream, chunk in ((sys.stdout, out), (sys.stderr, err)):
        if chunk:
            buffer = getattr(stream, "buffer", None)
            if buffer is None:
                stream.write(chunk.decode("utf-8", "replace"))
                continue
            stream.flush()
            buffer.write(chunk)
            buffer.flush()
    return rc


def parse(data: bytes) -> tuple[int, list[tuple[str, str, str]], bytes, bytes] | None:
    """An entry: `FORMAT`, `rc n_out n_err digest`, one `KIND<TAB>hex(path)<TAB>fact` per
    line, an empty line, then the two streams; `digest` is the hash of everything after its
    line. None for anything else: a damaged entry, or one that read no file, is a miss."""
    first = data.find(b"\n")
    second = data.find(b"\n", first + 1)
    end = data.find(b"\n\n", second)
    if min(first, second, end) < 0:
        return None
    lines = data[second + 1 : end].split(b"\n") if end > second else []
    try:
        if data[:first].decode() != FORMAT:
            return None
        rc_text, n_out_text, n_err_text, check = data[first + 1 : second].decode().split(" ")
        rc, n_out, n_err = int(rc_text), int(n_out_text), int(n_err_text)
        facts = []
        for line in lines:
            kind, hexpath, fact = line.decode().split("\t")
            facts.append((kind, os.fsdecode(bytes.fromhex(hexpath)), fact))
    except (ValueError, IndexError, UnicodeDecodeError):
        return None
    body = data[end + 2 :]
    if rc not in (0, 1) or len(body) != n_out + n_err or n_out < 0 or n_err < 0:
        return None
    if not any(kind == "C" for kind, _, _ in facts) or _digest(data[second + 1 :]) != check:
        return None
    return rc, facts, body[:n_out], body[n_out:]


def serialize(rc: int, facts: list[tuple[str, str, str]], out: bytes, err: bytes) -> bytes:
    rest = "".join(f"{kind}\t{os.fsencode(path).hex()}\t{fact}\n" for kind, path, fact in facts)
    tail = rest.encode() + b"\n" + out + err
    return f"{FORMAT}\n{rc} {len(out)} {len(err)} {_digest(tail)}\n".encode() + tail


# --- recording -----------------------------------------------------------------------------


class _Tee(io.BufferedIOBase):
    """A stream's bytes, passed on and kept."""

    def __init__(self, target: Any) -> None:
        super().__init__()
        self.target = target
        self.kept: list[bytes] = []
        self.size = 0

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        n: int = self.target.write(chunk)
        self.kept.append(chunk)
        self.size += len(chunk)
        return n if n is not None else len(chunk)

    def flush(self) -> None:
        self.target.flush()

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return int(self.target.fileno())

    def isatty(self) -> bool:
        return bool(self.target.isatty())


class unrecorded:  # a context manager named like contextlib's (`with replay.unrecorded():`)
    """Work of the cache's own upkeep (the daily prune walks the cache directory), not a
    fact of the scan: the running recorder, if any, ignores it."""

    def __enter__(self) -> None:
        if _running is not None:
            _running._busy = True

    def __exit__(self, *exc: object) -> None:
        if _running is not None:
            _running._busy = False


_running: Recorder | None = None


class Recorder:
    """What a running scan touches (an audit hook and wrappers of os.stat/os.lstat)."""

    def __init__(self, argv: list[str]) -> None:
        self.argv = argv
        self.key = invocation_key(argv)
        self.root = cache_root()
        self.roots = {self.root, os.path.realpath(self.root)}
        self.cwd = os.getcwd()
        self.ok = True
        self.active = True
        self._busy = False
        self.opened: dict[str, str] = {}  # path -> stat fact when opened
        self.code: dict[str, str] = {}
        self.stats: dict[tuple[str, bool], str] = {}
        self.listed: dict[str, str] = {}
        self._real_stat = os.stat
        self._real_lstat = os.lstat
        self._streams: list[tuple[str, Any, _Tee]] = []

    # paths

    def _path(self, raw: object) -> str | None:
        if isinstance(raw, int) or raw is None:
            return None
        try:
            path = os.fsdecode(os.fspath(raw))  # type: ignore[call-overload]
        except TypeError:
            return None
        return os.path.normpath(os.path.join(self.cwd, path))

    def _cached(self, path: str) -> bool:
        """Under the cache directory. What a scan reads there is derived data (the entries
        are keyed by content); but a scan that walks into it (the cache inside the scanned
        tree) or reads a file there that is not an entry is not recorded: a `.tf` hidden in
        the cache directory is scanned like any file, and its changes must be seen."""
        return any(path == r or path.startswith(r + os.sep) for r in self.roots)

    def _foreign(self, path: str) -> bool:
        """A file under the cache directory that no cache wrote (see _cached)."""
        name = os.path.basename(path)
        if name.startswith(".tmp-") or name == ".last-prune":
            return False
        stem, _, suffix = name.rpartition(".")
        return not (
            suffix in ("json", "bin")
            and len(stem) == 64
            and all(c in "0123456789abcdef" for c in stem)
        )

    # hooks

    def start(self) -> None:
        global _running
        _running = self
        sys.addaudithook(self._hook)
        recorder = self

        def stat(path: Any, *, dir_fd: Any = None, follow_symlinks: bool = True) -> Any:
            try:
                st = recorder._real_stat(path, dir_fd=dir_fd, follow_symlinks=follow_symlinks)
            except OSError:
                recorder._note_stat(path, dir_fd, follow_symlinks, None)
                raise
            recorder._note_stat(path, dir_fd, follow_symlinks, st)
            return st

        def lstat(path: Any, *, dir_fd: Any = None) -> Any:
            return stat(path, dir_fd=dir_fd, follow_symlinks=False)

        os.stat = stat
        os.lstat = lstat
        for name in ("stdout", "stderr"):
            stream = getattr(sys, name)
            buffer = getattr(stream, "buffer", None)
            if buffer is None:
                self.ok = False
                continue
            tee = _Tee(buffer)
            wrapper = io.TextIOWrapper(  # type: ignore[type-var]
                tee,
                encoding=stream.encoding,
                errors=stream.errors,
                line_buffering=stream.line_buffering,
                write_through=True,
            )
            stream.flush()
            setattr(sys, name, wrapper)
            self._streams.append((name, stream, tee))

    def _note_stat(self, raw: Any, dir_fd: Any, follow: bool, st: os.stat_result | None) -> None:
        if not self.active or self._busy:
            return
        if dir_fd is not None:
            self.ok = False
            return
        path = self._path(raw)
        if path is None or self._cached(path):
            return
        self.stats.setdefault((path, follow), stat_fact(st))

    def _hook(self, event: str, args: tuple[Any, ...]) -> None:
        if not self.active or self._busy:
            return
        if event == "open":
            self._open(args)
        elif event in ("os.scandir", "os.listdir"):
            self._list(args[0] if args else None)
        elif event in PROCESS_EVENTS:
            self.ok = False
        elif event in WRITE_EVENTS:
            for raw in args[:2]:
                path = self._path(raw) if isinstance(raw, (str, bytes, os.PathLike)) else None
                if path is not None and not self._cached(path):
                    self.ok = False

    def _open(self, args: tuple[Any, ...]) -> None:
        raw, mode, flags = (*args, None, None, None)[:3]
        if isinstance(raw, int):
            return  # a descriptor already opened (and recorded) by path
        path = self._path(raw)
        if path is None:
            self.ok = False
            return
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and bool(flags & _WRITE_FLAGS)
        )
        if self._cached(path):
            if not writing and self._foreign(path):
                self.ok = False
            return
        if writing:
            self.ok = False
            return
        self._busy = True
        try:
            fact = _stat(path, True, self._real_stat)
        finally:
            self._busy = False
        if path.endswith(CODE_SUFFIXES):
            self.code.setdefault(path, fact)
        else:
            self.opened.setdefault(path, fact)

    def _list(self, raw: object) -> None:
        if isinstance(raw, int):
            self.ok = False  # listed by descriptor (os.fwalk): not followed here
            return
        path = self._path("." if raw is None else raw)
        if path is None:
            return
        if self._cached(path):
            self.ok = False  # walked into the cache directory: see _cached
            return
        if path in self.listed:
            return
        self._busy = True
        try:
            self.listed[path] = listing_fact(path)
        finally:
            self._busy = False

    # the entry

    def finish(self, rc: int) -> None:
        """Stop recording; store the entry when this run can be replayed."""
        self.active = False
        os.stat, os.lstat = self._real_stat, self._real_lstat
        outputs = []
        for name, original, tee in self._streams:
            wrapper = getattr(sys, name)
            try:
                wrapper.flush()
            except (OSError, ValueError):
                self.ok = False
            setattr(sys, name, original)
            outputs.append(b"".join(tee.kept))
        if not self.ok or rc not in (0, 1) or len(outputs) != 2:
            return
        if sum(len(o) for o in outputs) > MAX_OUTPUT:
            return
        facts: list[tuple[str, str, str]] = []
        for path, when_opened in self.opened.items():
            if _stat(path, True, self._real_stat) != when_opened:
                return  # changed while the scan ran: its verdict may be of the old bytes
            facts.append(("C", path, content_fact(path)))
        for path, fact in self.code.items():
            facts.append(("S", path, fact))
        for (path, follow), fact in self.stats.items():
            facts.append(("S" if follow else "T", path, fact))
        for path, fact in self.listed.items():
            facts.append(("L", path, fact))
        _write(entry_path(self.root, self.key), serialize(rc, facts, outputs[0], outputs[1]))


def _write(path: str, data: bytes) -> None:
    """Atomically (a temporary file renamed over it); a cache that cannot be written is
    never an error."""
    directory = os.path.dirname(path)
    tmp = os.path.join(directory, f".tmp-{os.getpid()}-{os.path.basename(path)}")
    try:
        os.makedirs(directory, exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError:
        try:  # noqa: SIM105 (contextlib is not imported at start-up; this module stays lean)
            os.unlink(tmp)
        except OSError:
            pass
