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
    root = source_root(report)
    seen: Counter[tuple[str, str, str]] = Counter()
    out: list[Located] = []
    where: dict[str, tuple[str | None, str]] = {}  # per file: findings share few files
    for f in report.result.findings:
        known = where.get(f.file)
        if known is None:
            rel = repo_relative(f.file, report.cwd, root)
            known = where[f.file] = (
                rel,
                rel if rel is not None else report_path(f.file, report.cwd, root),
            )
        rel, path = known
        key = (f.rule_id, path, f.address)
        seen[key] += 1
        out.append(Located(f, path, rel is not None, fingerprint(*key, seen[key])))
    return out


def scanned_paths(report: Report) -> list[str]:
    root = source_root(report)
    return [report_path(file, report.cwd, root) for file in report.result.files]


SECURITY_SEVERITY = {
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "1.0",
}
