"""SOV104 location-unresolved: a location that cannot be resolved statically."""

from __future__ import annotations

from collections.abc import Iterator

from sovlint.model import FactSet, Finding, Severity
from sovlint.rules.base import Context, RuleMeta
from sovlint.rules.locations import location_cases

RULE = RuleMeta(
    id="SOV104",
    name="location-unresolved",
    title="Location cannot be resolved statically",
    severity=Severity.LOW,
    rationale=(
        "The location comes from an expression sovlint cannot evaluate without running Terraform "
        "(a function, a conditional, a resource attribute, a variable without default, or the environment). "
        "It is reported rather than guessed."
    ),
    fix="Give the variable a default or a value in terraform.tfvars (or pass --var-file), or scan the plan JSON for exact values.",
)


def check(facts: FactSet, ctx: Context) -> Iterator[Finding]:
    for case in location_cases(facts, ctx):
        if case.status != "unresolved":
            continue
        what = f"{case.attribute} = {case.raw}" if case.raw else case.attribute
        if not case.raw:
            why = case.origin or "not set"
        elif case.origin:
            why = f"cannot be evaluated statically (value from {case.origin})"
        else:
            why = "cannot be evaluated statically"
        yield ctx.finding(
            RULE,
            case.span,
            case.address,
            f"{what}: {why}",
            case.attribution,
            RULE.fix,
            case.block_line,
        )
