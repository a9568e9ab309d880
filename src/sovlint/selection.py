"""`--select` / `--ignore`: which rules' findings a run reports (ids, names or globs: SOV1*).

Fail closed: SOV001 (a file sovlint could not read) is reported whatever is selected, and
ignoring it is refused, as in `.sovlint.yaml`."""

from __future__ import annotations

import fnmatch

from sovlint.model import Finding

ALWAYS = "SOV001"


class SelectionError(ValueError):
    """A pattern that names no rule (a typo would silently select nothing)."""


def expand(patterns: list[str], option: str) -> frozenset[str]:
    """Rule ids matched by comma- or repeat-separated ids, names and globs."""
    from sovlint.rules import REGISTRY

    out: set[str] = set()
    for item in (p.strip() for raw in patterns for p in raw.split(",")):
        if not item:
            continue
        matched = {
            rid
            for rid, rule in REGISTRY.items()
            if fnmatch.fnmatchcase(rid, item.upper()) or fnmatch.fnmatchcase(rule.meta.name, item)
        }
        if not matched:
            raise SelectionError(f"{option} {item!r} matches no rule (see `sovlint rules`)")
        out |= matched
    return frozenset(out)


def selected(
    findings: list[Finding], select: frozenset[str] | None, ignore: frozenset[str]
) -> list[Finding]:
    if ALWAYS in ignore:
        raise SelectionError(
            f"--ignore: {ALWAYS} cannot be ignored: sovlint fails closed on files it cannot read "
            "(use --exclude for such paths)"
        )
    return [
        f
        for f in findings
        if f.rule_id == ALWAYS
        or ((select is None or f.rule_id in select) and f.rule_id not in ignore)
    ]
