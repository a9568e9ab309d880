"""Replay of an unchanged invocation: `sovlint scan` run again on inputs that did not change.

A pre-commit hook re-run after another hook failed, `pre-commit run --all-files` twice, a CI
job retried on the same commit or run for a commit that changed no infrastructure file: the
same command, in the same directory, with the same environment, on the same files. Such a
run replays the previous run's standard output, standard error, `--output` files (written
atomically, as the scan writes them) and exit code instead of starting the scanner (and
typer) at all. What the previous run depended on is what it touched, recorded while it ran:

- every file it opened: its content hash (files of Python code: size and mtime, as the
  import system itself judges a stale `.pyc`);
- every directory it listed (`os.scandir`, `os.listdir`, hence `os.walk`): each entry's
  name and kind (file, directory, link, other);
- every path it asked about (`os.stat`, `os.lstat`, so `Path.exists()`, `is_file()`,
  `realpath`): missing, or its kind, and for a file or link its size, mtime, ctime and
  inode (a `.sovlint.yaml` that did not exist in a parent directory and now does is a
  change).

The key holds sovlint's version, the interpreter, the working directory, the command line,
the environment variables a scan can read (`ENV_NAMES`, `ENV_PREFIXES`), today's date
(suppressions expire) and whether the standard streams are terminals (colour). A replay
happens only when every recorded fact still holds; anything else runs the scan, which then
records a new entry. A run records nothing when it did anything a replay could not repeat
or see: started a process or a pool of workers, wrote outside the cache directory and its
`--output` files, read an `--output` file (`--compare` with the report it overwrites), wrote
a report to a device or a pipe (`/dev/stdout`; `/dev/null` is fine), changed directory,
read standard input, listed a directory by descriptor, walked into the cache directory or
read a file there that no cache wrote (the cache inside the scanned tree: a `.tf` hidden
there is scanned like any file), or exited with an error (exit code other than 0 or 1);
nor when an input changed while it ran, or relied on the times of a file changed less than
two seconds before it ended.

Modification times are never the key. A file the previous run read is hashed again; a file
it only looked at is compared by type, size, times and inode, which is exactly what that
run relied on (the module result cache trusts an input whose stat did not change, before
hashing, as ruff does): a replay never trusts more than the run it repeats.

`--no-cache` neither reads nor writes entries. The entry lives in the cache directory
(`v1/replay/ab/<key>.bin`): a text header of the recorded facts, then the two output
streams and the report files; it is parsed as data, never evaluated. This module imports
nothing beyond the interpreter's built-in modules (and sovlint.atomic when it writes report
files) and sovlint.cache_location: a replay costs little more than starting Python.
"""

from __future__ import annotations

import io
import os
import sys
import time

from sovlint.cache_location import PRUNE_STAMP, TEMPORARY_PREFIX, cache_dir, entry_stem

TYPE_CHECKING = False  # typing's own import costs more than this module's work
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

FORMAT = "sovlint-replay 1"
NAMESPACE = "replay"
MAX_OUTPUT = 64 * 1024 * 1024  # larger outputs are not stored
# The environment variables a scan can depend on (sovlint's own, Terraform's TF_VAR_name,
# the cache location, Python's, the locale, colour and terminal, typer's): these are part of
# the key; others are not, so a CI job's run id or a shell's bookkeeping do not make every
# run new. tests/test_replay.py checks that every variable sovlint or typer reads by name is
# covered here.
ENV_PREFIXES = ("SOVLINT_", "TF_", "XDG_", "PYTHON", "LC_", "_TYPER", "TYPER_", "COMP_")
ENV_NAMES = frozenset(
    {
        "HOME",
        "PATH",
        "LANG",
        "LANGUAGE",
        "TERM",
        "COLUMNS",
        "LINES",
        "TERMINAL_WIDTH",
        "NO_COLOR",
        "FORCE_COLOR",
        "PY_COLORS",
        "GITHUB_ACTIONS",
        "PYDANTIC_DISABLE_PLUGINS",
        "TMPDIR",
    }
)


def relevant_environment() -> list[tuple[str, str]]:
    return sorted(
        (k, v) for k, v in os.environ.items() if k in ENV_NAMES or k.startswith(ENV_PREFIXES)
    )


# Options with which a run is never replayed nor recorded: no cache wanted, a file written
# besides the reports (the baseline), a subprocess, help. Standard input (`-`) neither.
REFUSED = frozenset({"--no-cache", "--write-baseline", "--render", "--help"})
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
# Every audit event the recorder acts on; the interpreter raises many more (imports,
# compile, exec, sys._getframe ...), which it returns from at once.
_WATCHED = frozenset({"open", "os.scandir", "os.listdir"}) | PROCESS_EVENTS | WRITE_EVENTS
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def _hasher() -> Any:
    try:
        from _blake2 import blake2b  # built in: no OpenSSL to load (hashlib's import is not free)
    except ImportError:  # pragma: no cover - an interpreter built without it
        from hashlib import blake2b
    return blake2b(digest_size=32)


def _digest(*parts: bytes | memoryview) -> str:
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
        short = arg.startswith("-") and not arg.startswith("--") and arg != "-o"
        if short and ("o" in arg or "h" in arg):
            return False  # -h, or a cluster holding -o or -h (-qo): never guessed
    return True


def output_paths(argv: list[str], cwd: str) -> list[str]:
    """The report files of `--output`/`-o`, as absolute paths, in the order given."""
    out: list[str] = []
    args = argv[1:]
    for i, arg in enumerate(args):
        if arg == "--":
            break
        value = None
        if arg in ("-o", "--output") and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--output="):
            value = arg[len("--output=") :]
        if value is not None:
            out.append(os.path.normpath(os.path.join(cwd, value)))
    return out


def cache_root() -> str:
    """The cache directory sovlint.cache uses, as an absolute path."""
    return os.path.abspath(cache_dir())


def _tty(fd: int) -> str:
    try:
        return "1" if os.isatty(fd) else "0"
    except OSError:
        return "-"


def invocation_key(argv: list[str]) -> str:
    from sovlint import __version__

    env = relevant_environment()
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


# A file changed less than this before a run ends may change again within the same clock
# tick, unseen by its times (git's "racy" files): a run that relied on such a file's stat
# alone is not recorded (the module result cache hashes such a file again too).
RACY_NS = 2_000_000_000


def stat_fact(st: os.stat_result | None) -> str:
    """What a stat says that a scan can depend on: missing, a directory, or (anything
    else) its type, size, modification and change times and inode, as the module result
    cache's pre-check reads them (an edit that restores the mtime still moves the ctime)."""
    if st is None:
        return "-"
    kind = st.st_mode >> 12
    if kind == 0o04:  # a directory: its listing, when read, is a fact of its own
        return "d"
    return f"{kind:o}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"


def _racy(fact: str, now_ns: int) -> bool:
    parts = fact.split(":")
    return len(parts) == 5 and now_ns - max(int(parts[2]), int(parts[3])) < RACY_NS


def normal_path(path: str) -> str:
    """`os.path.normpath` of an absolute path, without its cost when the path is already
    normal (the recorder sees every stat of a scan: tens of thousands on a large tree)."""
    if "/." not in path and "//" not in path and path[-1:] != "/":
        return path
    return os.path.normpath(path)


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
    parsed = parse(data, verify=False)
    if parsed is None:
        return None
    rc, facts, out, err, files = parsed
    for kind, path, fact in facts:
        if not holds(kind, path, fact):
            return None
    if not verified(data):  # (hashed only now: most entries tried are of an edited tree)
        return None
    if files:
        from sovlint.atomic import write_atomic  # as the scan writes them: links, modes kept

        try:
            for path, content in files:
                if content is not None:  # None: os.devnull
                    write_atomic(path, content)  # the bytes the scan wrote
        except (OSError, ValueError):
            return None  # the scan runs and says what went wrong, in its words
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


Parsed = tuple[int, list[tuple[str, str, str]], bytes, bytes, list[tuple[str, bytes | None]]]


def parse(data: bytes, verify: bool = True) -> Parsed | None:
    """An entry: `FORMAT`, `rc n_out n_err digest`, one `KIND<TAB>hex(path)<TAB>fact` per
    line, an empty line, then the two streams and the report files (`O` lines: their byte
    counts, `-` for os.devnull, in order); `digest` is the hash of everything after its
    line. None for anything else: a damaged entry, or one that read no file, is a miss.
    `verify=False` leaves the digest to `verified` (a replay checks it once every fact
    holds: hashing the report of a large tree costs more than finding an edited file)."""
    first = data.find(b"\n")
    second = data.find(b"\n", first + 1)
    end = data.find(b"\n\n", second)
    if min(first, second, end) < 0:
        return None
    lines = data[second + 1 : end].split(b"\n") if end > second else []
    try:
        if data[:first].decode() != FORMAT:
            return None
        rc_text, n_out_text, n_err_text, _check = data[first + 1 : second].decode().split(" ")
        rc, n_out, n_err = int(rc_text), int(n_out_text), int(n_err_text)
        facts: list[tuple[str, str, str]] = []
        sizes: list[tuple[str, int | None]] = []
        for line in lines:
            kind, hexpath, fact = line.decode().split("\t")
            path = os.fsdecode(bytes.fromhex(hexpath))
            if kind == "O":
                sizes.append((path, None if fact == "-" else int(fact)))
            else:
                facts.append((kind, path, fact))
    except (ValueError, IndexError, UnicodeDecodeError):
        return None
    start = end + 2  # the body: slices of `data` (a report may be tens of megabytes)
    total = n_out + n_err + sum(n or 0 for _, n in sizes)
    if (
        rc not in (0, 1)
        or len(data) - start != total
        or min(n_out, n_err, *(n or 0 for _, n in sizes)) < 0
    ):
        return None
    if not any(kind == "C" for kind, _, _ in facts) or (verify and not verified(data)):
        return None
    files: list[tuple[str, bytes | None]] = []
    at = start + n_out + n_err
    for path, n in sizes:
        files.append((path, None if n is None else data[at : at + n]))
        at += n or 0
    return (
        rc,
        facts,
        data[start : start + n_out],
        data[start + n_out : start + n_out + n_err],
        files,
    )


def verified(data: bytes) -> bool:
    """Whether an entry's digest is the hash of what follows its line (see `parse`)."""
    first = data.find(b"\n")
    second = data.find(b"\n", first + 1)
    header = data[first + 1 : second].rsplit(b" ", 1)
    if min(first, second) < 0 or len(header) != 2:
        return False
    with memoryview(data) as view:
        return _digest(view[second + 1 :]) == header[1].decode("ascii", "replace")


def serialized(
    rc: int,
    facts: list[tuple[str, str, str]],
    out: bytes,
    err: bytes,
    files: list[tuple[str, bytes | None]] | None = None,
) -> list[bytes]:
    """The entry `parse` reads, as the pieces to write one after the other: the outputs are
    hashed and written where they are, never copied into one string (a report of tens of
    megabytes would be copied three times)."""
    files = files or []
    lines = [(kind, path, fact) for kind, path, fact in facts]
    lines += [("O", path, "-" if data is None else str(len(data))) for path, data in files]
    rest = "".join(f"{kind}\t{os.fsencode(path).hex()}\t{fact}\n" for kind, path, fact in lines)
    tail = [rest.encode(), b"\n", out, err, *(d or b"" for _, d in files)]
    h = _hasher()  # _digest(b"".join(tail)), piece by piece
    h.update(sum(len(part) for part in tail).to_bytes(8, "big"))
    for part in tail:
        h.update(part)
    return [f"{FORMAT}\n{rc} {len(out)} {len(err)} {h.hexdigest()}\n".encode(), *tail]


# --- recording -----------------------------------------------------------------------------


class _Tee(io.BufferedIOBase):
    """A stream's bytes, passed on and kept."""

    def __init__(self, target: Any) -> None:
        super().__init__()
        self.target = target
        self.kept: list[bytes] = []

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        n: int = self.target.write(chunk)
        self.kept.append(chunk)
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
        self.key = invocation_key(argv)
        self.root = cache_root()
        self.roots = {self.root, os.path.realpath(self.root)}
        self._under_roots = tuple(r + os.sep for r in self.roots)
        self.cwd = os.getcwd()
        self.outputs = output_paths(argv, self.cwd)
        self._targets = {os.path.realpath(p) for p in self.outputs}
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
        return normal_path(path if path[:1] == "/" else f"{self.cwd}/{path}")

    def _cached(self, path: str) -> bool:
        """Under the cache directory. What a scan reads there is derived data (the entries
        are keyed by content); but a scan that walks into it (the cache inside the scanned
        tree) or reads a file there that is not an entry is not recorded: a `.tf` hidden in
        the cache directory is scanned like any file, and its changes must be seen."""
        return path.startswith(self._under_roots) or path in self.roots

    def _output(self, path: str) -> bool:
        """A report file of --output (as given, or the file a link there points to), or the
        temporary file sovlint.atomic writes it through (`.NAME.XXXX.tmp` beside that file):
        written by this run, never one of its inputs. No system call: it runs on every
        event."""
        if path in self.outputs or path in self._targets:
            return True
        directory, name = os.path.split(path)
        return (
            name.startswith(".")
            and name.endswith(".tmp")
            and any(
                directory == os.path.dirname(t) and name.startswith(f".{os.path.basename(t)}.")
                for t in self._targets
            )
        )

    def _foreign(self, path: str) -> bool:
        """A file under the cache directory that no cache wrote (see _cached)."""
        name = os.path.basename(path)
        written = name.startswith(TEMPORARY_PREFIX) or name == PRUNE_STAMP
        return not written and entry_stem(name) is None

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
        try:
            self._stat_fact(raw, dir_fd, follow, st)
        except Exception:  # a recorder never breaks the scan it watches: it just stops
            self.ok = self.active = False

    def _stat_fact(self, raw: Any, dir_fd: Any, follow: bool, st: os.stat_result | None) -> None:
        if dir_fd is not None:
            self.ok = False
            return
        path = self._path(raw)
        if path is None or self._cached(path) or (self.outputs and self._output(path)):
            return
        key = (path, follow)
        if key not in self.stats:
            self.stats[key] = stat_fact(st)

    def _hook(self, event: str, args: tuple[Any, ...]) -> None:
        if event not in _WATCHED or not self.active or self._busy:
            return
        try:
            self._event(event, args)
        except Exception:  # a recorder never breaks the scan it watches: it just stops
            self.ok = self.active = False

    def _event(self, event: str, args: tuple[Any, ...]) -> None:
        if event == "open":
            self._open(args)
        elif event in ("os.scandir", "os.listdir"):
            self._list(args[0] if args else None)
        elif event in PROCESS_EVENTS:
            self.ok = False
        elif event in WRITE_EVENTS:
            for raw in args[:2]:
                path = self._path(raw) if isinstance(raw, (str, bytes, os.PathLike)) else None
                if path is not None and not self._cached(path) and not self._output(path):
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
        if self.outputs and self._output(path):
            if not writing:
                self.ok = False  # a report file read as an input (--compare it): not replayed
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
        files: list[tuple[str, bytes | None]] = []
        for path in self.outputs:
            if os.path.realpath(path) == os.path.realpath(os.devnull):
                files.append((path, None))
                continue
            try:
                with open(path, "rb") as fh:
                    if os.fstat(fh.fileno()).st_mode >> 12 != 0o10:
                        return  # a device or a pipe (/dev/stdout): not something to store
                    files.append((path, fh.read(MAX_OUTPUT + 1)))
            except OSError:
                return
        if sum(len(o) for o in outputs) + sum(len(d or b"") for _, d in files) > MAX_OUTPUT:
            return
        facts: list[tuple[str, str, str]] = []
        for path, when_opened in self.opened.items():
            if _stat(path, True, self._real_stat) != when_opened:
                return  # changed while the scan ran: its verdict may be of the old bytes
            facts.append(("C", path, content_fact(path)))
        for path, fact in self.code.items():
            facts.append(("S", path, fact))
        now = time.time_ns()
        for (path, follow), fact in self.stats.items():
            if path not in self.opened and _racy(fact, now):
                return  # relied on the times of a file that may still be changing
            facts.append(("S" if follow else "T", path, fact))
        for path, fact in self.listed.items():
            facts.append(("L", path, fact))
        chunks = serialized(rc, facts, outputs[0], outputs[1], files)
        _write(entry_path(self.root, self.key), chunks)


def _write(path: str, chunks: list[bytes]) -> None:
    """Atomically (a temporary file renamed over it); a cache that cannot be written is
    never an error."""
    directory = os.path.dirname(path)
    tmp = os.path.join(directory, f"{TEMPORARY_PREFIX}{os.getpid()}-{os.path.basename(path)}")
    try:
        os.makedirs(directory, exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.writelines(chunks)
        os.replace(tmp, path)
    except OSError:
        try:  # noqa: SIM105 (contextlib is not imported at start-up; this module stays lean)
            os.unlink(tmp)
        except OSError:
            pass
