"""Parse files in worker processes: parsing is most of a cold scan's time.

Only parsing is parallel. Facts, rules and reports run afterwards in one process
in a fixed order, so the output is byte-identical whatever `--jobs` is.
"""

from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sovlint.cache import Cache, digest

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

# Below this many bytes to parse a pool costs more than it saves: starting the workers and
# shipping parsed documents back costs about as much as parsing this much in one process.
# On 2 quiet cores the M corpus (~0.7 MB of Terraform) parsed as fast with --jobs 1 as with
# --jobs 2; `python bench/run.py --case pool` measures the crossover (BENCHMARKS.md).
MIN_BYTES_FOR_POOL = 1024 * 1024


def available_cpus() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _parse_one(job: tuple[str, bool, int, str | None]) -> dict[str, Any]:
    from sovlint.frontends.terraform.parse import cache_key, parse_to_entry
    from sovlint.readfile import ReadError, read_text

    path_text, var_file, max_size, cache_root = job
    path = Path(path_text)
    try:
        text = read_text(path, max_size)
    except ReadError:
        return {}  # the main process reads it again and reports the failure
    entry, _doc = parse_to_entry(path, text, path_text, var_file)
    if cache_root is not None:
        cache = Cache(Path(cache_root))
        cache.put("hcl", cache_key(cache, path, var_file, text), entry)
    return {"digest": digest(text), **entry}


def preparse(
    files: list[tuple[Path, bool]], jobs: int, max_size: int, cache: Cache | None
) -> dict[tuple[Path, bool], dict[str, Any]]:
    """Parse `files` on `jobs` processes; {} when a pool is not worth it."""
    if jobs <= 1 or _total_bytes(files, MIN_BYTES_FOR_POOL) < MIN_BYTES_FOR_POOL:
        return {}
    from concurrent.futures import ProcessPoolExecutor  # (multiprocessing: ~10 ms to import)
    from concurrent.futures.process import BrokenProcessPool

    root = str(cache.root) if cache is not None and cache.root is not None else None
    work = [(str(p), var_file, max_size, root) for p, var_file in files]
    chunk = max(1, len(work) // (jobs * 8))
    try:
        pool = ProcessPoolExecutor(max_workers=jobs, initializer=_ignore_sigint)
    except (OSError, NotImplementedError, ImportError):
        return {}  # no process pool here (no /dev/shm semaphores, ...): parse in this process
    try:
        results = list(pool.map(_parse_one, work, chunksize=chunk))
    except BrokenProcessPool:
        _stop(pool)
        return {}  # a worker died (out of memory, killed): the main pass parses what is left
    except BaseException:
        # Ctrl-C (or any failure): stop now. Leaving the `with` block would wait for every
        # queued file to be parsed first, minutes on a large tree.
        _stop(pool)
        raise
    pool.shutdown()
    return dict(zip(files, results, strict=True))


def _total_bytes(files: list[tuple[Path, bool]], enough: int) -> int:
    """Sizes of `files`, counted until `enough` (a stat each: cheap next to reading them)."""
    total = 0
    for path, _var_file in files:
        try:
            total += os.stat(path).st_size
        except OSError:
            continue
        if total >= enough:
            break
    return total


def _ignore_sigint() -> None:
    """Workers leave Ctrl-C to the main process, which stops them (no worker tracebacks)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _stop(pool: ProcessPoolExecutor) -> None:
    workers = list(getattr(pool, "_processes", {}).values())  # no public API before 3.14
    results = getattr(pool, "_result_queue", None)  # (shutdown drops the pool's reference)
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.join(5)
    # A worker terminated while it sent a result leaves half a message in the result pipe:
    # the pool's manager thread then waits for the rest forever, and so did this process's
    # exit, which joins that thread (1 Ctrl-C in ~10 hung). With every worker gone, this
    # process holds the last writing end: closing it ends that read (EOF), the manager
    # thread sees a broken pool and stops.
    writer = getattr(results, "_writer", None)
    if writer is not None and all(not w.is_alive() for w in workers):
        with contextlib.suppress(OSError):
            writer.close()
