"""What the CI reporters share: repository-relative paths and line-independent fingerprints."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sovlint.model import Finding, Severity
from sovlint.reporters import Report
from sovlint.srcroot import find_root, repo_relative, report_path


@dataclass(frozen=True)
class Located:
    """A finding with its repository-relative path and a fingerprint that ignores line numbers."""

    finding: Finding
    path: str  # POSIX, relative to the source root; absolute when the file lies outside it
    inside_root: bool
    fingerprint: str


def fingerprint(rule_id: str, path: str, address: str, occurrence: int) -> str:
    """Identity of a finding: rule + repository-relative file + address (+ the n-th such finding).

    Lines are left out on purpose, so the fingerprint survives code moving up or down.
    `occurrence` (1, 2 ...) tells apart findings of one rule on one address in one file.
    """
    key = "\x00".join(("sovlint/v1", rule_id, path, address, str(occurrence)))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def source_root(report: Report) -> Path:
    return find_root(report.cwd)


def locate(report: Report) -> list[Located]:
    paths, fingerprints = _locations(report)
    return [
        Located(f, path, inside, fp)
        for f, (path, inside), fp in zip(report.result.findings, paths, fingerprints, strict=True)
    ]


def fingerprints(report: Report) -> list[str]:
    """The fingerprint of each finding, in report order (what `locate` gives, without the
    rest: the JSON report needs only these, for tens of thousands of findings)."""
    return _locations(report)[1]


def _locations(report: Report) -> tuple[list[tuple[str, bool]], list[str]]:
    root = source_root(report)
    seen: Counter[tuple[str, str, str]] = Counter()
    paths: list[tuple[str, bool]] = []
    prints: list[str] = []
    where: dict[str, tuple[str, bool]] = {}  # per file: findings share few files
    for f in report.result.findings:
        known = where.get(f.file)
        if known is None:
            rel = repo_relative(f.file, report.cwd, root)
            path = rel if rel is not None else report_path(f.file, report.cwd, root)
            known = where[f.file] = (path, rel is not None)
        key = (f.rule_id, known[0], f.address)
        seen[key] += 1
        paths.append(known)
        prints.append(fingerprint(*key, seen[key]))
    return paths, prints


def scanned_paths(report: Report) -> list[str]:
    root = source_root(report)
    return [report_path(file, report.cwd, root) for file in report.result.files]


SECURITY_SEVERITY = {
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "1.0",
}
