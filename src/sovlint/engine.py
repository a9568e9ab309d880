"""The scan pipeline: discover -> each frontend scans what it claims -> judge with the rules
-> inventory -> suppress -> sort. Frontends live in `sovlint.frontends` (see registry.py)."""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sovlint.catalog.model import Catalog
from sovlint.discovery import discover
from sovlint.model import FactSet, Finding, InventoryItem, ParseFailure, Severity
from sovlint.profiles import Profile
from sovlint.readfile import DEFAULT_MAX_FILE_SIZE
from sovlint.rules.base import Context
from sovlint.shard import owns

if TYPE_CHECKING:
    from sovlint.cache import Cache
    from sovlint.hierarchy import Part
    from sovlint.suppression import Suppression


@dataclass
class ScanOptions:
    paths: list[Path]
    profile: Profile
    catalog: Catalog
    exclude: tuple[str, ...] = ()
    var_files: tuple[Path, ...] = ()
    variables: tuple[tuple[str, str], ...] = ()  # --var NAME=VALUE, applied last
    env_variables: tuple[tuple[str, str], ...] = ()  # TF_VAR_NAME (opt-in), applied first
    source: Path | None = None  # configuration directory that plan findings are mapped back to
    cache: Cache | None = None  # parsed-file cache (None: no cache)
    jobs: int = 1  # processes for parsing
    shard: tuple[int, int] | None = None  # (index, count): judge only this shard's roots and files
    part: Part | None = None  # judge only the units under this configuration (sovlint.hierarchy)
    disabled: frozenset[str] = frozenset()
    severity_overrides: dict[str, Severity] = field(default_factory=dict)
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    follow_symlinks: bool = False
    render: tuple[str, ...] = ()  # --render helm / kustomize: run those tools on charts/overlays
    stdin: str | None = None  # `sovlint scan -`: a manifest stream read from standard input
    inline_suppressions: bool = True  # False: sovlint:ignore comments suppress nothing
    max_suppression_days: int | None = None  # a comment accepting a finding longer is SOV003
    today: _dt.date = field(default_factory=_dt.date.today)
    cwd: Path = field(default_factory=Path.cwd)
    # The catalog's digest (data, loader, overrides): with `cache`, root modules' results are
    # cached (sovlint.results). None: no result cache.
    results_key: str | None = None


@dataclass
class ScanResult:
    findings: list[Finding]
    inventory: list[InventoryItem]
    files: list[str]


def display_path(path: Path, cwd: Path) -> str:
    """POSIX path relative to the current directory when inside it, without a leading './'."""
    try:
        absolute = path if path.is_absolute() else cwd / path
        rel = os.path.relpath(absolute, cwd)
        if not rel.startswith(".."):
            return Path(rel).as_posix()
        return absolute.as_posix()
    except ValueError:
        return path.as_posix()


def env_variables(environ: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """TF_VAR_name=value pairs from an environment, sorted for determinism."""
    return tuple(
        sorted(
            (k[len("TF_VAR_") :], v)
            for k, v in environ.items()
            if k.startswith("TF_VAR_") and len(k) > 7
        )
    )


def scan(options: ScanOptions) -> ScanResult:
    """Discover, let each frontend scan what it claims, judge, inventory, suppress, and merge
    the findings (and inventory items) that several roots reached, sorted."""
    from sovlint.dedupe import distinct_findings, distinct_items
    from sovlint.findings import RuleSelection, SuppressionPolicy, apply_suppressions, judge
    from sovlint.frontends.base import Session
    from sovlint.frontends.registry import frontend_factories
    from sovlint.inventory import inventory

    shown: dict[Path, str] = {}

    def display(path: Path) -> str:
        """Memoised: os.path.relpath is costly and every file is named many times."""
        name = shown.get(path)
        if name is None:
            name = shown[path] = display_path(path, options.cwd)
        return name

    ctx = Context(options.catalog, options.profile)
    selection = RuleSelection(options.disabled, options.severity_overrides)
    from sovlint.cache import default_dir

    cache_root = options.cache.root if options.cache is not None else None
    disc = discover(
        options.paths, options.exclude, options.follow_symlinks, cache_root or default_dir()
    )
    if options.shard is not None or options.part is not None:
        shard, part = options.shard, options.part
        unit_of = _shard_units(disc.others)
        disc.others[:] = [
            p for p in disc.others if owns(shard, part, unit_of(p), display(unit_of(p)))
        ]
        disc.problems[:] = [x for x in disc.problems if owns(shard, part, x[0], display(x[0]))]
    failures = FactSet(unit="")
    failures.failures.extend(ParseFailure(display(p), 1, message) for p, message in disc.problems)
    findings: list[Finding] = []
    items: list[InventoryItem] = []
    files: set[str] = set()
    suppressions: dict[str, list[Suppression]] = {}
    session = Session(options, display)
    for factory in frontend_factories():
        frontend = factory(session)
        claimed = [p for p in disc.others if frontend.claims(p)]
        if claimed:
            taken = set(claimed)
            disc.others[:] = [p for p in disc.others if p not in taken]
        unit = frontend.scan(disc, claimed)
        files.update(unit.files)
        for file, sups in unit.suppressions.items():
            suppressions.setdefault(file, []).extend(sups)
        failures.failures.extend(unit.failures)
        for scope in unit.scopes:
            only = scope.only
            if scope.cached is not None:  # judged in an earlier run (sovlint.results)
                found, listed = scope.cached.findings, scope.cached.items
            else:
                found = list(judge(scope.facts, ctx, selection, frontend.name))
                listed = list(inventory(scope.facts, ctx, frontend.name))
                ctx.release()  # (the cases derived for these facts: not kept to the end)
                if scope.on_judged is not None:
                    scope.on_judged(found, listed)
            for finding in found:
                if only is None or finding.file in only:
                    if scope.caller is not None:  # a called module, judged for this root
                        finding.callers = (scope.caller,)
                    findings.append(finding)
            items.extend(i for i in listed if only is None or i.file in only)
    findings.extend(judge(failures, ctx, selection))
    policy = SuppressionPolicy(options.inline_suppressions, options.max_suppression_days)
    findings.extend(
        apply_suppressions(findings, suppressions, options.today, options.disabled, policy)
    )
    return ScanResult(distinct_findings(findings), distinct_items(items), sorted(files))


def exit_code(findings: list[Finding], fail_on: Severity) -> int:
    for f in findings:
        if f.suppressed:
            continue
        if f.rule_id == "SOV001" or f.severity >= fail_on:
            return 1
    return 0


def _shard_units(others: list[Path]) -> Callable[[Path], Path]:
    """What a shard owns among non-Terraform files: a Helm chart (the outermost directory
    with a Chart.yaml, subcharts included) goes whole to one shard, since a chart is read as
    one unit; any other file goes alone."""
    charts = {p.parent for p in others if p.name == "Chart.yaml"}

    def unit(path: Path) -> Path:
        owner = path
        for parent in path.parents:
            if parent in charts:
                owner = parent
        return owner

    return unit
