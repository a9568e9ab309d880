"""Ruff-style rule snapshots: each rule runs ALONE on its fixtures and its findings (line,
address, severity, message, fix, who) are pinned in `<fixture>/<RULE>.snap`, next to the
fixture. A rule's fixtures: the cases whose expected.yaml lists it, and those named after
it (`sov200-pass`). After an intended change of wording or verdict:

    python -m pytest tests/rules/test_snapshots.py --update-snapshots

and review the diff of the .snap files like any other change.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
import yaml

from sovlint.engine import ScanResult
from sovlint.rules import REGISTRY
from sovtest import FIXTURES, ROOT, expectations, run_scan

UPDATE = "python -m pytest tests/rules/test_snapshots.py --update-snapshots"


def _listed_rules(case: Path) -> set[str]:
    return {f["rule"] for exp in expectations(case).values() for f in exp["findings"]}


@functools.lru_cache(maxsize=1)
def rule_cases() -> dict[str, list[Path]]:
    cases = sorted(p.parent for p in FIXTURES.rglob("expected.yaml"))
    out: dict[str, list[Path]] = {rule_id: [] for rule_id in REGISTRY}
    for case in cases:
        named = case.name.split("-", 1)[0].upper()
        for rule_id in REGISTRY:
            if rule_id in _listed_rules(case) or rule_id == named:
                out[rule_id].append(case)
    return out


def scan_only(case: Path, rule_id: str, profile: str) -> ScanResult:
    """The case scanned with every other (suppressible) rule disabled."""
    how = yaml.safe_load((case / "expected.yaml").read_text()).get("scan", {})
    paths = [case / p for p in how.get("paths", [])] or None
    source = case / how["source"] if "source" in how else None
    others = frozenset(REGISTRY) - {rule_id}
    return run_scan(case, profile, paths=paths, source=source, disabled=others)


def render(case: Path, rule_id: str) -> str:
    lines = [f"# {rule_id} alone on {case.relative_to(ROOT).as_posix()}; update: {UPDATE}"]
    for profile in expectations(case):
        lines.append(f"## {profile}")
        for f in scan_only(case, rule_id, profile).findings:
            if f.rule_id != rule_id:
                continue  # SOV001 cannot be disabled; it has its own snapshots
            mark = " (suppressed: " + (f.suppression_reason or "") + ")" if f.suppressed else ""
            lines.append(f"{f.file}:{f.line} {f.rule_id} [{f.severity.label}] {f.address}{mark}")
            lines.append(f"  message: {f.message}")
            lines.append(f"  fix: {f.fix}")
            who = (f.provider, f.operator, f.jurisdiction, f.region, f.country)
            lines.append("  who: " + " | ".join(x or "-" for x in who))
    return "\n".join(lines) + "\n"


PAIRS = [
    pytest.param(case, rule_id, id=f"{rule_id}-{case.relative_to(FIXTURES).as_posix()}")
    for rule_id, cases in rule_cases().items()
    for case in cases
]


def test_every_rule_has_fixtures() -> None:
    missing = [rule_id for rule_id, cases in rule_cases().items() if not cases]
    assert not missing, f"rules without a fixture that lists or is named after them: {missing}"


@pytest.mark.parametrize(("case", "rule_id"), PAIRS)
def test_snapshot(case: Path, rule_id: str, request: pytest.FixtureRequest) -> None:
    snap = case / f"{rule_id}.snap"
    actual = render(case, rule_id)
    if request.config.getoption("--update-snapshots"):
        if not snap.exists() or snap.read_text(encoding="utf-8") != actual:
            snap.write_text(actual, encoding="utf-8")
        return
    assert snap.exists(), f"{snap} is missing: {UPDATE}"
    assert snap.read_text(encoding="utf-8") == actual, f"{snap} differs: {UPDATE}"


def test_no_stale_snapshots() -> None:
    wanted = {case / f"{rule_id}.snap" for rule_id, cases in rule_cases().items() for case in cases}
    stale = sorted(p for p in FIXTURES.rglob("SOV*.snap") if p not in wanted)
    assert not stale, f"snapshots of no rule/fixture pair (delete them): {stale}"
