"""SOV203 egress-endpoint-not-sovereign: a URL or hostname of a non-sovereign service in a value."""

from __future__ import annotations

from collections.abc import Iterator

from sovlint import judge
from sovlint.model import Attribution, EgressFacts, Finding, K8sObject, Severity, ValueRef, Verdict
from sovlint.netloc import hosts_in
from sovlint.rules.base import Context, RuleMeta
from sovlint.rules.k8s_case import Case

RULE = RuleMeta(
    id="SOV203",
    name="egress-endpoint-not-sovereign",
    title="Data flows to a non-sovereign service",
    severity=Severity.MEDIUM,
    rationale=(
        "A URL or hostname in configuration (an API base URL, a log intake, an S3 endpoint, a DSN) "
        "sends data to that service's operator. An EU data-location option of a US SaaS (datadoghq.eu, "
        "ingest.de.sentry.io) fixes where data sits, not who can be compelled to hand it over."
    ),
    fix="Send the data to a service operated under EU jurisdiction (a self-hosted or EU-operated observability, AI or storage endpoint).",
    frameworks=("terraform", "kubernetes", "compose"),
    reads=("providers", "resources", "values", "k8s_objects"),
)


def judge_value(
    ctx: Context, ref: ValueRef, skip_operator: str | None = None
) -> Iterator[tuple[str, str, object]]:
    """(host, reason, attribution) for each non-sovereign host in a value. Shared with Kubernetes."""
    for host in hosts_in(ref.value):
        match = ctx.catalog.match_host(host)
        if match is None or match.rule.operator == skip_operator:
            continue
        att = ctx.attributor.make(
            match.rule.provider, match.rule.operator, f"host {host}", match.country, match.region
        )
        verdict = judge.destination(att, ctx.profile, ctx.catalog, f"{match.rule.kind} endpoint")
        if verdict.verdict is Verdict.NOT_SOVEREIGN:
            yield host, verdict.reason, att


def egress_cases(ctx: Context, obj: K8sObject) -> Iterator[Case]:
    for address, ref in obj.values:
        for host, reason, att in judge_value(ctx, ref):
            assert isinstance(att, Attribution)
            yield Case(
                "SOV203",
                address,
                ref.span,
                Verdict.NOT_SOVEREIGN,
                f"{ref.attribute} sends data to {host}: {reason}",
                att,
            )


def check(facts: EgressFacts, ctx: Context) -> Iterator[Finding]:
    items: list[tuple[str, ValueRef, str | None, int]] = []
    for pc in facts.providers:
        view = ctx.provider_view(facts, pc)
        items.extend(
            (pc.address, v, view.attribution.operator_key, pc.block_line) for v in pc.values
        )
    for res in facts.resources:
        view = ctx.resource_view(facts, res)
        own = ctx.attributor.resource(res, view).operator_key if view.known else None
        items.extend((res.address, v, own, res.span.line) for v in res.values)
    items.extend((address, v, None, v.span.line) for address, v in facts.values)
    # Kubernetes: env values, args/command, ConfigMap data and Secret stringData
    for obj in facts.k8s_objects:
        items.extend((address, v, None, obj.span.line) for address, v in obj.values)
    for address, ref, own, block_line in items:
        for host, reason, att in judge_value(ctx, ref, own):
            yield ctx.finding(
                RULE,
                ref.span,
                address,
                f"{ref.attribute} sends data to {host}: {reason}",
                att,  # type: ignore[arg-type]
                block_line=block_line,
            )
