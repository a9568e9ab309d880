"""Facts -> findings: run the rules (`judge`) and apply `sovlint:ignore` comments
(`apply_suppressions`). The engine, the pre-commit path and the Checkov adapter all use these,
so a fact gets the same verdict whichever way it was scanned."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from sovlint.model import FactSet, Finding, Severity
from sovlint.rules import REGISTRY
from sovlint.rules.base import Context
from sovlint.suppression import Suppression


@dataclass(frozen=True)
class RuleSelection:
    """Which rules run and at which severity (`.sovlint.yaml` `disable:` and `severity:`).
    Rules that are not suppressible (SOV001) always run at their own severity."""

    disabled: frozenset[str] = frozenset()
    severity_overrides: Mapping[str, Severity] = field(default_factory=dict)


def judge(
    facts: FactSet, ctx: Context, selection: RuleSelection, framework: str | None = None
) -> Iterator[Finding]:
    """The findings of every enabled rule for `framework` (its `RuleMeta.frameworks`; None:
    any, for the read failures of a whole scan) on one set of facts, in rule-id order.
    A rule does not run where every fact it reads (`RuleMeta.reads`) is empty."""
    for rule_id, rule in REGISTRY.items():
        if rule.check is None or (rule_id in selection.disabled and rule.meta.suppressible):
            continue
        meta = rule.meta
        if framework is not None and framework not in meta.frameworks:
            continue
        if meta.reads and not any(getattr(facts, name) for name in meta.reads):
            continue
        for finding in rule.check(facts, ctx):
            if rule_id in selection.severity_overrides and rule.meta.suppressible:
                finding.severity = selection.severity_overrides[rule_id]
            yield finding


def _invalid(file: str, line: int, problem: str) -> Finding:
    from sovlint.rules.sov003_suppression_invalid import RULE as SOV003

    return Finding(
        SOV003.id,
        SOV003.severity,
        problem,
        file,
        line,
        line,
        file,
        None,
        None,
        None,
        None,
        None,
        SOV003.fix,
        line,
    )


@dataclass(frozen=True)
class SuppressionPolicy:
    """What a gate accepts of `sovlint:ignore` comments (--no-inline-suppressions,
    --max-suppression-days)."""

    inline: bool = True  # False: comments suppress nothing (each is SOV003)
    max_days: int | None = None  # a comment accepting a finding for longer is SOV003


def _refused(sup: Suppression, today: _dt.date, policy: SuppressionPolicy) -> str | None:
    """Why the gate's own options refuse a well-formed comment (None: it applies)."""
    ids = ", ".join(sup.rule_ids)
    if not policy.inline:
        return f"suppression of {ids} not honoured: this run ignores inline suppressions"
    days = policy.max_days
    if days is None:
        return None
    if sup.until is None:
        return f"suppression of {ids} has no expiry; this run accepts at most {days} days"
    if (sup.until - today).days > days:
        return (
            f"suppression of {ids} until {sup.until} is more than {days} days away; "
            "this run accepts at most that"
        )
    return None


def _problem(sup: Suppression, today: _dt.date, policy: SuppressionPolicy) -> str | None:
    unknown = [r for r in sup.rule_ids if r not in REGISTRY]
    if sup.problem is None and unknown:
        return f"sovlint:ignore names unknown rule id(s) {', '.join(unknown)}"
    if sup.problem is None and sup.expired(today):
        return f"suppression of {', '.join(sup.rule_ids)} expired on {sup.until}"
    return sup.problem or _refused(sup, today, policy)


def apply_suppressions(
    findings: list[Finding],
    suppressions: Mapping[str, list[Suppression]],
    today: _dt.date,
    disabled: frozenset[str] = frozenset(),
    policy: SuppressionPolicy = SuppressionPolicy(),
) -> list[Finding]:
    """Mark the findings each valid suppression covers (in place) and return the SOV003
    findings for the invalid or expired ones (none when SOV003 is disabled)."""
    invalid: list[Finding] = []
    for file, sups in sorted(suppressions.items()):
        for sup in sups:
            problem = _problem(sup, today, policy)
            if problem is not None:
                invalid.append(_invalid(file, sup.comment_line, problem))
                continue
            for finding in findings:
                if (
                    finding.file == file
                    and finding.rule_id in sup.rule_ids
                    and REGISTRY[finding.rule_id].meta.suppressible
                    and sup.target_line in (finding.line, finding.block_line)
                ):
                    finding.suppressed = True
                    finding.suppression_reason = sup.reason or "(no reason given)"
                    finding.suppression_until = str(sup.until) if sup.until else None
                    finding.suppression_line = sup.comment_line
    return [] if "SOV003" in disabled else invalid
