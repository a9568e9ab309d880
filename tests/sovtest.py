"""Shared test helpers: run sovlint in-process on a fixture directory and compare with expected.yaml."""

from __future__ import annotations

import datetime as _dt
import functools
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from sovlint.catalog.load import load_catalog
from sovlint.catalog.model import Catalog
from sovlint.engine import ScanOptions, ScanResult, exit_code, scan
from sovlint.model import Severity
from sovlint.profiles import load_profile

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
TODAY = _dt.date(2026, 11, 28)


@functools.lru_cache(maxsize=1)
def catalog() -> Catalog:
    return load_catalog()


def run_cli(
    args: list[str], cwd: Path = ROOT, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m sovlint ARGS` from this checkout, as a user would run it."""
    full_env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), NO_COLOR="1", **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "sovlint", *args],
        cwd=cwd,
        env=full_env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def run_scan(
    directory: Path, profile: str = "sovereign-eu", paths: list[Path] | None = None, **kwargs: Any
) -> ScanResult:
    cat = catalog()
    options = ScanOptions(
        paths=paths or [directory],
        profile=load_profile(profile, cat),
        catalog=cat,
        cwd=directory,
        today=TODAY,
        **kwargs,
    )
    return scan(options)


def expectations(case: Path) -> dict[str, dict[str, Any]]:
    """profile -> {exit_code, findings} from the case's expected.yaml."""
    data = yaml.safe_load((case / "expected.yaml").read_text())
    if "profiles" in data:
        return dict(data["profiles"])
    return {"sovereign-eu": data}


def finding_keys(result: ScanResult) -> list[dict[str, Any]]:
    out = []
    for f in result.findings:
        item: dict[str, Any] = {
            "rule": f.rule_id,
            "file": f.file,
            "line": f.line,
            "address": f.address,
        }
        if f.suppressed:
            item["suppressed"] = True
        out.append(item)
    return sorted(out, key=lambda d: (d["file"], d["line"], d["rule"], d["address"]))


def expected_keys(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(findings, key=lambda d: (d["file"], d["line"], d["rule"], d["address"]))


def assert_case(case: Path, profile: str) -> ScanResult:
    exp = expectations(case)[profile]
    how = yaml.safe_load((case / "expected.yaml").read_text()).get("scan", {})
    paths = [case / p for p in how.get("paths", [])] or None
    source = case / how["source"] if "source" in how else None
    result = run_scan(case, profile, paths=paths, source=source)
    assert finding_keys(result) == expected_keys(exp["findings"])
    assert exit_code(result.findings, Severity.LOW) == exp["exit_code"]
    return result


def terraform_cases(prefix: str = "") -> list[Any]:
    """Every directory under fixtures/terraform holding an expected.yaml, once per profile."""
    base = FIXTURES / "terraform"
    params = []
    for expected in sorted(base.rglob("expected.yaml")):
        case = expected.parent
        name = case.relative_to(base).as_posix()
        if not name.startswith(prefix):
            continue
        for profile in expectations(case):
            params.append(pytest.param(case, profile, id=f"{name}[{profile}]"))
    return params
