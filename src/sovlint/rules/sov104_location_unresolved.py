"""SOV104 location-unresolved: a location that cannot be resolved statically."""

from __future__ import annotations

from collections.abc import Iterator

from sovlint.model import FactSet, Finding, Severity
from sovlint.rules.base import Context, RuleMeta
from sovlint.rules.k8s_case import unknowns
from sovlint.rules.locations import location_cases

_PLAN = (
    "or scan the plan JSON, where Terraform has computed it "
    "(terraform show -json plan.out > plan.json; sovlint scan plan.json --source .)"
)

RULE = RuleMeta(
    id="SOV104",
    name="location-unresolved",
    title="Location cannot be resolved statically",
    severity=Severity.LOW,
    rationale=(
        "The location comes from a value only Terraform knows when it runs (an attribute the "
        "provider computes, a data source, a variable without a value, the workspace or the "
        "environment, a function of one of those). It is reported rather than guessed. In "
        "Kubernetes and Compose files: an image that is not a literal (`$(IMAGE)`, "
        "`${TAG}`), and a cloud service of an acceptable operator (a CSI driver, a load "
        "balancer, a secret store) that runs in the cluster's region, which no manifest writes."
    ),
    fix=f"Write the location where it is used, set the variable it comes from, {_PLAN}.",
    frameworks=("terraform", "kubernetes", "compose"),
    reads=("providers", "resources", "backends", "k8s_objects"),
)


def fix_for(reason: str) -> str:
    """The way out that matches why the value is not known."""
    if "-backend-config" in reason:
        return (
            "Write the backend's settings in its block, or keep each file you pass to "
            "`terraform init -backend-config=FILE` in the module as NAME.tfbackend (in its "
            "directory or a subdirectory such as backends/): sovlint judges each one. Values "
            "given as -backend-config=KEY=VALUE or in the environment cannot be read "
            "statically (the JSON plan does not record the backend)."
        )
    if "has no value" in reason:
        return (
            "Set the variable: give it a default, a value in terraform.tfvars, or pass "
            f"--var-file / --var NAME=VALUE; {_PLAN}."
        )
    if "Local Zone" in reason:
        return (
            "List only Availability Zones on the data source (filter { name = "
            '"opt-in-status", values = ["opt-in-not-required"] }) or write the zone, '
            f"{_PLAN}."
        )
    if "computed by the provider" in reason or "data source" in reason:
        return (
            "Write the location as a literal or a variable instead of reading it from another "
            f"resource's computed attribute or a data source, {_PLAN}."
        )
    if "environment" in reason or "workspace" in reason or "Terraform runs" in reason:
        return f"Set the location explicitly instead of taking it from the environment, {_PLAN}."
    return RULE.fix


def check(facts: FactSet, ctx: Context) -> Iterator[Finding]:
    yield from unknowns(RULE, facts, ctx)  # Kubernetes and Compose objects
    for case in location_cases(facts, ctx):
        if case.status != "unresolved":
            continue
        what = f"{case.attribute} = {case.raw}" if case.raw else case.attribute
        reason = case.origin or ""
        if not case.raw:
            why = reason or "not set"
        elif reason:
            why = f"cannot be evaluated statically: {reason}"
        else:
            why = "cannot be evaluated statically"
        yield ctx.finding(
            RULE,
            case.span,
            case.address,
            f"{what}: {why}",
            case.attribution,
            fix_for(reason),
            case.block_line,
        )
