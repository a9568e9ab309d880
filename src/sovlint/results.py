"""The result cache: a root module's findings, inventory and failures, reused while nothing
that decides them has changed. An unchanged module costs one cache read and a `stat` of
each of its inputs; no file is read, parsed, evaluated or judged.

An entry is found by the scan settings and the root's path; it holds every input the root's
evaluation read (its files, its tfvars, the files and listings of the local modules it calls,
`.terraform/modules/modules.json`) with the digest of each one's text. It is used only when
every input still has that content:

- settings: sovlint's code, the catalog (data and overrides), the profile as extended by the
  configuration, the rule selection and severities, --var/--var-file/TF_VAR_ values, the file
  size limit and the working directory (findings name files relative to it);
- each input file: its digest. `mtime`, `size`, `ctime` and inode are a pre-check only (as
  ruff and git do): when all four are unchanged the recorded digest is trusted, otherwise the
  file is read and hashed again, and a touched but unchanged file still hits. A stat taken
  within two seconds of the file's last change is never trusted (a change in the same
  clock tick would keep it);
- each listed directory: the names of its Terraform files, listed again.

Entries are JSON (sovlint.jsoncodec), written after the root is judged, before callers and
suppressions are applied, so what a later run rebuilds from them is what it would compute.
"""

from __future__ import annotations

import functools
import json
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sovlint.cache import digest
from sovlint.readfile import ReadError, read_text

if TYPE_CHECKING:
    from sovlint.cache import Cache
    from sovlint.engine import ScanOptions
    from sovlint.frontends.base import Session
    from sovlint.jsoncodec import Codec
    from sovlint.model import Finding, InventoryItem, ParseFailure
    from sovlint.suppression import Suppression

NAMESPACE = "result"
FORMAT = 1
RACY_NS = 2_000_000_000  # a file changed this close to its stat is always re-hashed

Stat = tuple[int, int, int, int]  # mtime_ns, size, inode, ctime_ns


def stat_of(path: str | Path, since_ns: int) -> Stat | None:
    """The pre-check state of a file, or None when it cannot be trusted (missing, or changed
    less than two seconds before `since_ns`)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if max(st.st_mtime_ns, st.st_ctime_ns) >= since_ns - RACY_NS:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)


def text_digest(path: Path, max_size: int) -> str:
    """The digest of a file's text as sovlint reads it (or of why it cannot be read)."""
    try:
        return digest(read_text(path, max_size))
    except ReadError as exc:
        return read_error_digest(exc)


def read_error_digest(exc: ReadError) -> str:
    return f"error:{exc.line}:{exc}"


def listing_digest(directory: Path) -> str:
    """The Terraform files of a directory (what `module_files` reads), or its absence."""
    from sovlint.discovery import module_files

    if not directory.is_dir():
        return "absent"
    return digest(*(p.name for p in module_files(directory)))


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """sovlint's own code: its version and each source file's size and mtime (an edited
    checkout invalidates every entry; an installed wheel changes only with its version)."""
    from sovlint import __version__

    package = Path(__file__).resolve().parent
    parts: list[str] = [__version__]
    for path in sorted(package.rglob("*.py")):
        st = path.stat()
        parts.append(f"{path.relative_to(package).as_posix()}:{st.st_size}:{st.st_mtime_ns}")
    return digest(*parts)


@functools.lru_cache(maxsize=1)
def codec() -> Codec:
    from sovlint import model, profiles, suppression
    from sovlint.jsoncodec import Codec

    return Codec([model, suppression, profiles])


def settings_fingerprint(options: ScanOptions, catalog_key: str) -> str:
    """Everything besides the files that decides a root module's findings."""
    settings = {
        "code": code_fingerprint(),
        "catalog": catalog_key,
        "profile": codec().encode(options.profile),
        "disabled": sorted(options.disabled),
        "severity": sorted((k, int(v)) for k, v in options.severity_overrides.items()),
        "var_files": [str(p) for p in options.var_files],
        "variables": [list(p) for p in options.variables],
        "env_variables": [list(p) for p in options.env_variables],
        "max_file_size": options.max_file_size,
        "cwd": str(options.cwd),
        "format": FORMAT,
    }
    return digest(json.dumps(settings, sort_keys=True))


@dataclass
class Watched:
    """Files and directories a root module's evaluation loaded (TerraformFiles.watch)."""

    files: list[Path] = field(default_factory=list)
    directories: list[Path] = field(default_factory=list)


@dataclass
class Inputs:
    """What one root module's evaluation read: files (path -> digest, trusted stat) and
    directory listings (path -> listing digest)."""

    files: dict[str, tuple[str, Stat | None]] = field(default_factory=dict)
    listings: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "files": [[p, d, list(s) if s else None] for p, (d, s) in sorted(self.files.items())],
            "listings": sorted(self.listings.items()),
        }


@dataclass
class Judged:
    """The findings and inventory of one judged scope of a root (its callers: `caller`)."""

    caller: str | None
    findings: list[Finding]
    items: list[InventoryItem]


@dataclass
class RootResult:
    """A root module's cached result, as the Terraform frontend needs it back."""

    calls: list[str]  # directories it calls with local sources (roots are computed fresh)
    sets_values: list[str]  # its files that define values (a passed one reports the module)
    files: list[str]
    failures: list[ParseFailure]
    suppressions: dict[str, list[Suppression]]
    scopes: list[Judged]


class ResultCache:
    def __init__(self, cache: Cache, settings: str, max_file_size: int) -> None:
        self.cache = cache
        self.settings = settings
        self.max_file_size = max_file_size
        self.started_ns = time.time_ns()
        self.hits = 0

    def _key(self, root: str) -> str:
        return self.cache.key(NAMESPACE, self.settings, root)

    def lookup(self, root: str, own: list[str]) -> RootResult | None:
        """The cached result of root module `root` (display path) whose own files (and tfvars)
        are `own`, if every input it read is unchanged."""
        entry = self.cache.get(NAMESPACE, self._key(root))
        if not isinstance(entry, dict) or entry.get("own") != own:
            return None
        try:
            if not self._unchanged(entry["inputs"]):
                return None
            decode = codec().decoder()
            result = RootResult(
                calls=[str(c) for c in entry["calls"]],
                sets_values=[str(f) for f in entry["sets_values"]],
                files=[str(f) for f in entry["files"]],
                failures=decode(entry["failures"]),
                suppressions=decode(entry["suppressions"]),
                scopes=[Judged(c, decode(f), decode(i)) for c, f, i in entry["scopes"]],
            )
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            return None  # an entry of another shape: evaluate again and overwrite it
        self.hits += 1
        return result

    def _unchanged(self, inputs: dict[str, Any]) -> bool:
        for path, recorded_digest, recorded_stat in inputs["files"]:
            if recorded_stat is not None and stat_of(path, self.started_ns) == tuple(recorded_stat):
                continue  # unchanged stat, not racy: the recorded digest stands
            if text_digest(Path(path), self.max_file_size) != recorded_digest:
                return False
        return all(listing_digest(Path(d)) == recorded for d, recorded in inputs["listings"])

    def store(
        self,
        root: str,
        own: list[str],
        inputs: Inputs,
        result: RootResult,
        scopes: list[list[object]],
    ) -> None:
        """Store a root's result; `scopes` from `encode_judged`, taken as each was judged."""
        c = codec()
        entry = {
            "own": own,
            "inputs": inputs.to_json(),
            "calls": result.calls,
            "sets_values": result.sets_values,
            "files": result.files,
            "failures": c.encode(result.failures),
            "suppressions": c.encode(result.suppressions),
            "scopes": scopes,
        }
        self.cache.put(NAMESPACE, self._key(root), entry)


def encode_judged(
    caller: str | None, findings: list[Finding], items: list[InventoryItem]
) -> list[object]:
    """A judged scope as stored: encoded at once, before the engine adds callers and
    suppressions to these findings."""
    c = codec()
    return [caller, c.encode(findings), c.encode(items)]


def record_inputs(
    files: Iterable[Path],
    directories: Iterable[Path],
    digests: Callable[[Path], str],
    started_ns: int,
) -> Inputs | None:
    """The inputs of one root: each file's digest (of the text the scan used) and trusted
    stat, each listed directory's listing. None when an input changed during the scan: what
    was judged may not be what is on disk, so nothing is stored."""
    inputs = Inputs()
    for path in files:
        try:
            st = os.stat(path)
        except OSError:
            st = None
        if st is not None and max(st.st_mtime_ns, st.st_ctime_ns) >= started_ns:
            return None
        inputs.files[str(path)] = (digests(path), stat_of(path, started_ns))
    for directory in directories:
        inputs.listings[str(directory)] = listing_digest(directory)
    return inputs


def result_cache(session: Session) -> ResultCache | None:
    """The scan's result cache: with a cache and the settings that key it. A shard or a
    configuration's part judges each root it owns as a whole scan does (the same inputs, the
    same settings in the key), so its roots share the entries of unsharded scans."""
    options = session.options
    key = getattr(options, "results_key", None)
    if options.cache is None or not options.cache.enabled or key is None:
        return None
    return ResultCache(options.cache, settings_fingerprint(options, key), options.max_file_size)
