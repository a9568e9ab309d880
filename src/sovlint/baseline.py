"""Baselines: accept the findings a repository has today, fail only on new ones.

`sovlint scan --write-baseline FILE` records every unsuppressed, suppressible
finding keyed by (repository-relative file, address, rule id) with a count.
`sovlint scan --baseline FILE` then marks as suppressed ("in baseline FILE")
up to that many findings of each key; the rest are new and reported.

The key never contains a line number (findings survive code moving) and never
an address alone: a new `aws_s3_bucket.this` in another file is a new
finding. Counts matter: a key recorded once and found twice has one new
finding. Findings that cannot be waived (SOV001 unreadable file, SOV003
invalid suppression) are never recorded, so a baseline cannot hide them.

The file is written atomically; a missing, corrupt or unknown-version file is
a `BaselineError` (one line, exit 2 in the CLI), never silently ignored.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sovlint.atomic import write_atomic
from sovlint.model import Finding
from sovlint.rules import REGISTRY
from sovlint.srcroot import find_root, report_path

VERSION_KEY = "sovlint_baseline"
VERSION = 1

Key = tuple[str, str, str]  # (repository-relative file, address, rule id)


class BaselineError(Exception):
    """A baseline file that cannot be used; the message is one line naming the file."""


@dataclass
class Baseline:
    entries: Counter[Key] = field(default_factory=Counter)
    source: str = ""  # the file it was read from or written to, for the suppression reason
    # Entries no finding matched (fixed, or moved to another file): after apply_baseline
    unmatched: Counter[Key] = field(default_factory=Counter)

    def __len__(self) -> int:
        return sum(self.entries.values())


def baselinable(finding: Finding) -> bool:
    """Unsuppressed and of a rule that may be waived at all."""
    if finding.suppressed:
        return False
    rule = REGISTRY.get(finding.rule_id)
    return rule is None or rule.meta.suppressible


def key_of(finding: Finding, cwd: Path, root: Path) -> Key:
    return (report_path(finding.file, cwd, root), finding.address, finding.rule_id)


def collect(findings: list[Finding], cwd: Path) -> Baseline:
    root = find_root(cwd)
    return Baseline(Counter(key_of(f, cwd, root) for f in findings if baselinable(f)))


def to_json(baseline: Baseline, tool_version: str) -> dict[str, object]:
    return {
        VERSION_KEY: VERSION,
        "tool_version": tool_version,
        "key": "findings are matched by file (relative to the repository root), address and rule id",
        "findings": [
            {"file": file, "address": address, "rule_id": rule_id, "count": count}
            for (file, address, rule_id), count in sorted(baseline.entries.items())
        ],
    }


def write_baseline(path: Path, findings: list[Finding], cwd: Path, tool_version: str) -> Baseline:
    """Record the current findings in `path` (atomically) and return what was recorded."""
    baseline = collect(findings, cwd)
    baseline.source = str(path)
    text = json.dumps(to_json(baseline, tool_version), indent=2, ensure_ascii=False) + "\n"
    write_atomic(path, text)
    return baseline


def _fail(path: Path, problem: str) -> BaselineError:
    return BaselineError(f"{path}: {problem}")


def load_baseline(path: Path) -> Baseline:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise _fail(path, "baseline file not found (create it with --write-baseline)") from None
    except OSError as exc:
        raise _fail(path, f"cannot read baseline: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise _fail(path, "corrupt baseline: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise _fail(
            path,
            f"corrupt baseline: invalid JSON at line {exc.lineno} column {exc.colno} ({exc.msg})",
        ) from None
    if not isinstance(data, dict) or VERSION_KEY not in data:
        raise _fail(
            path,
            f'not a sovlint baseline (no "{VERSION_KEY}" version key; create one with --write-baseline)',
        )
    version = data[VERSION_KEY]
    if version != VERSION or isinstance(version, bool):
        raise _fail(
            path, f"unsupported baseline version {version!r} (this sovlint reads version {VERSION})"
        )
    items = data.get("findings")
    if not isinstance(items, list):
        raise _fail(path, 'corrupt baseline: "findings" must be a list')
    entries: Counter[Key] = Counter()
    for index, item in enumerate(items):
        where = f"corrupt baseline: findings[{index}]"
        if not isinstance(item, dict):
            raise _fail(path, f"{where} must be an object")
        values = []
        for name in ("file", "address", "rule_id"):
            value = item.get(name)
            if not isinstance(value, str) or not value:
                raise _fail(path, f"{where}: {name!r} must be a non-empty string")
            values.append(value)
        count = item.get("count", 1)
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise _fail(path, f"{where}: 'count' must be a positive integer")
        entries[(values[0], values[1], values[2])] += count
    return Baseline(entries, str(path))


def apply_baseline(findings: list[Finding], baseline: Baseline, cwd: Path) -> int:
    """Mark findings in the baseline as suppressed; return how many were. Counts are honoured:
    with n occurrences of a key recorded, the first n (in report order) match, the rest are new."""
    root = find_root(cwd)
    remaining = Counter(baseline.entries)
    reason = f"in baseline {baseline.source}" if baseline.source else "in baseline"
    matched = 0
    for finding in findings:
        if not baselinable(finding):
            continue
        key = key_of(finding, cwd, root)
        if remaining[key] > 0:
            remaining[key] -= 1
            finding.suppressed = True
            finding.suppression_reason = reason
            finding.suppressed_by = "baseline"
            matched += 1
    baseline.unmatched = +remaining
    return matched
