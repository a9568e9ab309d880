"""What the Kubernetes rules (SOV200-SOV205) share: one judged fact of an object (a `Case`),
the verdict of a host the cluster pulls from, and the loop that reports a rule's refusals.

The rules and the inventory (sovlint.workload_inventory) read the same cases, so a finding
and the object's verdict can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from sovlint import judge
from sovlint.model import Attribution, Finding, K8sObject, Span, Verdict, WorkloadFacts
from sovlint.rules.base import Context, RuleMeta


@dataclass(frozen=True)
class Case:
    """One judged fact of an object."""

    rule: str  # SOV200 ... SOV205
    address: str
    span: Span
    verdict: Verdict
    message: str
    attribution: Attribution | None
    fix: str = ""
    region: str | None = None
    country: str | None = None


CasesOf = Callable[[Context, K8sObject], Iterable[Case]]


def refusals(
    rule: RuleMeta, facts: WorkloadFacts, ctx: Context, cases_of: CasesOf
) -> Iterator[Finding]:
    """A finding for each case of each object that the profile refuses."""
    for obj in facts.k8s_objects:
        for case in cases_of(ctx, obj):
            if case.verdict is not Verdict.NOT_SOVEREIGN:
                continue
            yield ctx.finding(
                rule,
                case.span,
                case.address,
                case.message,
                case.attribution,
                case.fix,
                obj.span.line,
                region=case.region,
                country=case.country,
            )


def supplier_verdict(ctx: Context, att: Attribution, country: str | None) -> tuple[Verdict, str]:
    """A host the cluster pulls from (a registry, a GitOps source): its operator, then the
    country where it stores what it serves; an acceptable operator in no known country is
    unknown."""
    verdict = judge.operator(att, ctx.profile, ctx.catalog)
    if verdict.verdict is not Verdict.SOVEREIGN:
        return verdict.verdict, verdict.reason
    if judge.country(country, ctx.profile, ctx.catalog) is Verdict.NOT_SOVEREIGN:
        return Verdict.NOT_SOVEREIGN, judge.outside_countries(country, ctx.profile)
    if country is None:
        return Verdict.UNKNOWN, verdict.reason  # where the data sits is not known
    return Verdict.SOVEREIGN, verdict.reason
