"""The pre-commit case: `sovlint scan FILE` on the one file a commit stages, as the hook runs it.

One staged .tf in a 20-file module (judged with its whole module, findings reported for the
file) and one staged manifest, each warm (the cache holds the previous run: unchanged, the
run is replayed; edited since, as in most commits, the module is judged again), with an
empty cache (the first commit) and with --no-cache, against `python -c pass` of the same
interpreter (the floor: no Python tool starts faster) and Checkov on the same file with only
sovlint's checks (what a Checkov pre-commit hook would run).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from corpus import precommit
from measure import Tool, alternate, appender, base_env, header, median, sovlint_cmd, table


def checks_dir() -> str:
    return str(Path(__file__).resolve().parent.parent / "src" / "sovlint" / "checkov_checks")


def bench_precommit(runs: int, checkov: str | None) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="sovlint-bench-precommit-") as tmp:
        repo = Path(tmp) / "repo"
        staged_tf, staged_manifest = precommit(repo)
        env = base_env()
        warm = dict(env, SOVLINT_CACHE_DIR=str(Path(tmp) / "warm"))
        edited_repo = Path(tmp) / "edited"
        precommit(edited_repo)
        edited_env = dict(env, SOVLINT_CACHE_DIR=str(Path(tmp) / "warm-edited"))
        cold_dir = Path(tmp) / "cold"
        cold = dict(env, SOVLINT_CACHE_DIR=str(cold_dir))

        def empty_cache() -> None:
            shutil.rmtree(cold_dir, ignore_errors=True)

        tools = {
            "python -c pass": Tool([sys.executable, "-c", "pass"], env, repo),
            "python -c 'import typer' (the CLI framework alone)": Tool(
                [sys.executable, "-c", "import typer"], env, repo
            ),
        }
        for label, staged in ((".tf", staged_tf), ("manifest", staged_manifest)):
            rel = str(staged.relative_to(repo))
            scan = sovlint_cmd("scan", rel)
            tools[f"sovlint, staged {label}, warm cache, unchanged (replayed)"] = Tool(
                scan, warm, repo
            )
            # What most commits run: the staged file changed since the last run (no replay;
            # the module is judged again, its other files come from the parse cache).
            # Its own copy and cache, so the unchanged case above stays unchanged.
            tools[f"sovlint, staged {label} edited, warm cache"] = Tool(
                scan, edited_env, edited_repo, appender(edited_repo / rel)
            )
            tools[f"sovlint, staged {label}, empty cache"] = Tool(scan, cold, repo, empty_cache)
            tools[f"sovlint, staged {label}, --no-cache"] = Tool([*scan, "--no-cache"], env, repo)
            if checkov:
                only = ["--external-checks-dir", checks_dir(), "--check", "CKV_SOV_*"]
                tools[f"checkov CKV_SOV_* only, staged {label}"] = Tool(
                    [checkov, "-f", rel, "--quiet", "--compact", "-o", "json", *only], env, repo
                )
        samples = alternate(tools, runs, warmup=2)
        floor = median(samples["python -c pass"])
        rows = [
            "### Pre-commit: one staged file",
            "",
            f"A {len(list((repo / 'module').iterdir()))}-file root module (the staged .tf is "
            "judged with its module) and one staged manifest; text report as the hook prints it.",
            "",
            *header(runs),
            *table(samples),
            "",
            "| tool | x `python -c pass` |",
            "| --- | ---: |",
        ]
        rows += [
            f"| {name} | {median(s) / floor:.1f} |"
            for name, s in samples.items()
            if name != "python -c pass"
        ]
        if checkov:
            for label in (".tf", "manifest"):
                ck = median(samples[f"checkov CKV_SOV_* only, staged {label}"])
                sv = median(samples[f"sovlint, staged {label}, warm cache, unchanged (replayed)"])
                ed = median(samples[f"sovlint, staged {label} edited, warm cache"])
                rows.append(
                    f"\nCheckov / sovlint, staged {label}: **{ck / sv:.0f}x** unchanged "
                    f"(replayed), **{ck / ed:.0f}x** edited since the last run"
                )
        return [*rows, ""]
