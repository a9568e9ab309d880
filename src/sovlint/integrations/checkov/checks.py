"""The contract between sovlint rules and Checkov checks: ids, block types, severities, and
the result one check reports."""

from __future__ import annotations

from dataclasses import dataclass

from sovlint.model import Finding
from sovlint.rules import REGISTRY

# One Checkov check id per sovlint rule (a public contract, documented in docs/checkov.md),
# and the Checkov block types each one is registered for.
TERRAFORM_CHECKS: dict[str, tuple[str, ...]] = {
    "SOV100": ("provider",),
    "SOV101": ("resource", "data"),
    "SOV102": ("provider", "resource", "data"),
    "SOV103": ("provider", "resource", "data"),
    "SOV104": ("provider", "resource", "data"),
    "SOV106": ("provider", "resource", "data"),
    "SOV107": ("module",),
    "SOV203": ("provider", "resource", "data", "module"),
}

# Kubernetes objects (Checkov's kubernetes, helm and kustomize frameworks).
KUBERNETES_CHECKS: tuple[str, ...] = (
    "SOV103",
    "SOV104",
    "SOV200",
    "SOV201",
    "SOV202",
    "SOV203",
    "SOV204",
    "SOV205",
)

BLOCK_TYPES = ("terraform", "provider", "resource", "data", "module")


def check_id(rule_id: str) -> str:
    """SOV101 -> CKV_SOV_101."""
    return f"CKV_SOV_{rule_id[3:]}"


def rule_id(ckv_id: str) -> str:
    """CKV_SOV_101 -> SOV101."""
    return f"SOV{ckv_id.rsplit('_', 1)[1]}"


def severity_name(rule: str) -> str:
    """The rule's severity as Checkov's `BcSeverities` name (HIGH, MEDIUM, LOW, INFO)."""
    return REGISTRY[rule].meta.severity.name


@dataclass(frozen=True)
class Result:
    """What a check reports: PASSED, FAILED, SKIPPED or UNKNOWN (not reported by Checkov)."""

    status: str
    details: tuple[str, ...] = ()
    suppress_comment: str = ""


def outcome(found: list[Finding]) -> Result:
    active = [f for f in found if not f.suppressed]
    if active:
        return Result("FAILED", details(active))
    if found:
        reasons = sorted({f.suppression_reason or "(no reason given)" for f in found})
        return Result("SKIPPED", details(found), "sovlint:ignore: " + "; ".join(reasons))
    return Result("PASSED")


def details(findings: list[Finding]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f"{f.rule_id}: {f.message}" for f in findings))
