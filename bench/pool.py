"""Where a process pool starts paying: parsing N bytes of Terraform in one process against
`--jobs 2` workers (start-up, shipping parsed documents back, rebuilding them), alternately.

The crossover sets `sovlint.parallel.MIN_BYTES_FOR_POOL`.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from corpus import generate
from measure import ROOT, header

sys.path.insert(0, str(ROOT / "src"))


def _files(directory: Path) -> list[tuple[Path, bool]]:
    return sorted((p, False) for p in directory.rglob("*.tf"))


def bench_pool(runs: int) -> list[str]:
    from sovlint import parallel
    from sovlint.frontends.terraform.parse import from_entry, parse_file

    def one_process(files: list[tuple[Path, bool]]) -> None:
        for path, var_file in files:
            parse_file(path, path.read_text(), str(path), var_file)

    def pool(files: list[tuple[Path, bool]]) -> None:
        entries = parallel.preparse(files, 2, 1 << 24, None)
        assert len(entries) == len(files)
        for (path, _var_file), entry in entries.items():
            from_entry(entry, str(path), path.read_text())

    threshold = parallel.MIN_BYTES_FOR_POOL
    parallel.MIN_BYTES_FOR_POOL = 0  # measure the pool even where sovlint would not start it
    rows = [
        "### Process pool threshold",
        "",
        *header(runs),
        "| Terraform bytes | files | one process s | --jobs 2 pool s | pool / one |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    with tempfile.TemporaryDirectory(prefix="sovlint-bench-pool-") as tmp:
        for modules in (10, 25, 50, 100, 200, 400):
            target = Path(tmp) / str(modules)
            generate(target, modules, seed=3)
            files = _files(target)
            size = sum(p.stat().st_size for p, _ in files)
            times: dict[str, list[float]] = {"one": [], "pool": []}
            for _ in range(runs):
                for name, fn in (("one", one_process), ("pool", pool)):
                    start = time.perf_counter()
                    fn(files)
                    times[name].append(time.perf_counter() - start)
            one, two = (statistics.median(times[k]) for k in ("one", "pool"))
            rows.append(f"| {size:,} | {len(files)} | {one:.3f} | {two:.3f} | {two / one:.2f} |")
    rows += [
        "",
        f"sovlint starts a pool from {threshold:,} bytes of Terraform to parse "
        "(`MIN_BYTES_FOR_POOL`).",
        "",
    ]
    return rows
