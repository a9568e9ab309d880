"""Helpers for the CI-reporter, baseline and pre-commit tests: scan in-process, build a Report,
or run the real `sovlint` command line in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sovlint import __version__
from sovlint.engine import ScanOptions, ScanResult, scan
from sovlint.model import Finding, Severity
from sovlint.profiles import load_profile
from sovlint.reporters import Report
from sovtest import ROOT, TODAY, catalog


def scan_paths(
    paths: list[Path], cwd: Path, profile: str = "sovereign-eu", **kwargs: object
) -> ScanResult:
    cat = catalog()
    options = ScanOptions(
        paths=[p if p.is_absolute() else cwd / p for p in paths],  # relative to cwd, as a user's
        profile=load_profile(profile, cat),
        catalog=cat,
        cwd=cwd,
        today=TODAY,
        **kwargs,  # type: ignore[arg-type]
    )
    return scan(options)


def report_for(directory: Path, profile: str = "sovereign-eu") -> Report:
    """Scan `directory` from inside it, as `cd directory && sovlint scan .` would."""
    result = scan_paths([directory], directory, profile)
    return Report(result, load_profile(profile, catalog()), __version__, [], cwd=directory)


def report_of(
    findings: list[Finding], files: list[str], cwd: Path, profile: str = "sovereign-eu"
) -> Report:
    """A Report around hand-made findings (for inputs no real scan produces, e.g. hostile text)."""
    return Report(
        ScanResult(findings, [], files), load_profile(profile, catalog()), __version__, [], cwd=cwd
    )


def finding(
    rule_id: str = "SOV101",
    file: str = "main.tf",
    line: int = 5,
    address: str = "aws_s3_bucket.this",
    message: str = "resource is operated outside the EU",
    severity: Severity = Severity.HIGH,
    **extra: object,
) -> Finding:
    f = Finding(
        rule_id=rule_id,
        severity=severity,
        message=message,
        file=file,
        line=line,
        end_line=line + 2,
        address=address,
        provider="aws",
        operator="Amazon Web Services, Inc.",
        jurisdiction="US",
        region=None,
        country=None,
        fix="Move it to a European provider.",
        block_line=line,
    )
    for key, value in extra.items():
        setattr(f, key, value)
    return f


def sovlint(args: list[str], cwd: Path, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    """The real command line, as a user runs it (`python -m sovlint` with this checkout's src)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), NO_COLOR="1")
    return subprocess.run(
        [sys.executable, "-m", "sovlint", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


AWS_BUCKET = """provider "aws" {
  region = "eu-west-3"
}

resource "aws_s3_bucket" "this" {
  bucket = "logs"
}
"""

SCALEWAY_BUCKET = """terraform {
  required_providers {
    scaleway = {
      source = "scaleway/scaleway"
    }
  }
}

provider "scaleway" {
  region = "fr-par"
}

resource "scaleway_object_bucket" "this" {
  name = "logs"
}
"""
