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
    # An unknown case: the rule that reports it (SOV103 a location or host the catalog does
    # not know, SOV104 one the manifest does not say); its message says what is unknown and
    # its fix the way out.
    reporter: str = ""


CasesOf = Callable[[Context, K8sObject], Iterable[Case]]


def refusals(
    rule: RuleMeta, facts: WorkloadFacts, ctx: Context, cases_of: CasesOf
) -> Iterator[Finding]:
    """A finding for each case of each object that the profile refuses."""
    return _report(rule, facts, ctx, cases_of, lambda case: case.verdict is Verdict.NOT_SOVEREIGN)


def unknowns(rule: RuleMeta, facts: WorkloadFacts, ctx: Context) -> Iterator[Finding]:
    """A finding for each case of each object whose verdict is unknown and that `rule`
    reports: no object is unknown in the inventory without a finding that says why."""
    from sovlint.workload_inventory import judged_cases

    return _report(
        rule,
        facts,
        ctx,
        lambda ctx, obj: judged_cases(ctx, facts, obj),
        lambda case: case.verdict is Verdict.UNKNOWN and case.reporter == rule.id,
    )


def _report(
    rule: RuleMeta,
    facts: WorkloadFacts,
    ctx: Context,
    cases_of: CasesOf,
    keep: Callable[[Case], bool],
) -> Iterator[Finding]:
    for obj in facts.k8s_objects:
        for case in cases_of(ctx, obj):
            if not keep(case):
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
    if country is None:  # an acceptable operator; where it keeps what it serves is not known
        return Verdict.UNKNOWN, (
            f"{verdict.reason}, but the country where {att.operator or 'it'} stores what it "
            "serves is not in the catalog"
        )
    return Verdict.SOVEREIGN, verdict.reason


def sovereign_registries(ctx: Context, most: int = 3) -> str:
    """Registries of the catalog a cluster could pull from instead under the profile: their
    operator and its parent in the profile's countries, no foreign law reaching them."""
    if ctx.profile.certifications:
        schemes = ", ".join(ctx.profile.certifications)
        return f"a registry of a {schemes}-qualified offer, or a self-hosted one"
    found: list[str] = []
    for rule in ctx.catalog.hosts:
        op = ctx.catalog.operators.get(rule.operator)
        if rule.kind != "registry" or op is None or op.exposure:
            continue
        if any(
            judge.country(code, ctx.profile, ctx.catalog) is not Verdict.SOVEREIGN
            for code in (op.country, op.parent_country)
        ):
            continue
        att = ctx.attributor.make(rule.provider, rule.operator, f"registry {rule.pattern}")
        if judge.operator(att, ctx.profile, ctx.catalog).verdict is Verdict.SOVEREIGN:
            found.append(f"{rule.pattern} ({op.name.split(' (', 1)[0]})")
        if len(found) == most:
            break
    return ", ".join(found) if found else "a self-hosted registry in those countries"
