"""SOV205 gitops-source-not-sovereign: an Argo CD Application or a Flux source pulls what it
deploys (Helm charts, Git repositories, OCI artifacts) from a non-sovereign host."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sovlint.model import (
    Finding,
    K8sObject,
    Severity,
    Verdict,
    WorkloadFacts,
)
from sovlint.netloc import hosts_in
from sovlint.rules.base import Context, RuleMeta
from sovlint.rules.k8s_case import Case, refusals, supplier_verdict

RULE = RuleMeta(
    id="SOV205",
    name="gitops-source-not-sovereign",
    title="GitOps source pulled from a host outside the profile's jurisdiction",
    severity=Severity.MEDIUM,
    rationale=(
        "An Argo CD Application (`spec.source(s).repoURL`, `chart`) or a Flux GitRepository, "
        "HelmRepository, OCIRepository or Bucket (`spec.url`, `spec.endpoint`) makes the cluster "
        "deploy whatever that host serves: like an image registry, its operator sees what runs "
        "where and can change or withdraw it under its own law. The host is looked up in the "
        "catalog (hosts.yaml); a host the catalog does not know (your Gitea, Harbor or chart "
        "museum) is not refused: it stays unknown in the inventory and is reported as SOV103, "
        "like a known host whose operator publishes no storage country."
    ),
    fix="Mirror the repository or chart into a Git server or OCI registry operated under EU jurisdiction (a self-hosted Gitea/GitLab, Scaleway or OVHcloud registries) and point the source at it.",
    frameworks=("kubernetes",),
    reads=("k8s_objects",),
)

_SCP_LIKE = re.compile(r"^[\w.-]+@(?P<host>[A-Za-z0-9.-]+\.[A-Za-z]{2,}):")


def source_hosts(value: str) -> list[str]:
    """Hosts of a repository URL: URLs (https, oci, ssh), bare hosts, `git@host:org/repo`."""
    m = _SCP_LIKE.match(value.strip())
    if m:
        return [m.group("host").lower()]
    return hosts_in(value)


_UNKNOWN_HOST_FIX = (
    "If the host is yours, add it with its operator and country (and a public source) to a "
    "catalog override (`--catalog`); otherwise mirror the repository or chart into a Git "
    "server or OCI registry operated under EU jurisdiction and point the source at it."
)
_NO_COUNTRY_FIX = (
    "Mirror the repository or chart into a Git server or OCI registry in the profile's "
    "countries and point the source at it; if the host publishes where it stores what it "
    "serves, add that country with its source to a catalog override (`--catalog`)."
)


def source_cases(ctx: Context, obj: K8sObject) -> Iterator[Case]:
    """Each host of each source value of the object (spec.source(s).repoURL, spec.url ...)."""
    for _address, ref in obj.sources:
        for host in source_hosts(ref.value):
            match = ctx.catalog.match_host(host)
            if match is None:
                message = (
                    f"{ref.attribute} pulls from {host}, a host the catalog does not know: who "
                    "operates it and where it stores what it serves cannot be verified"
                )
                yield Case(
                    "SOV205",
                    obj.address,
                    ref.span,
                    Verdict.UNKNOWN,
                    message,
                    None,
                    _UNKNOWN_HOST_FIX,
                    reporter="SOV103",
                )
                continue
            att = ctx.attributor.make(
                match.rule.provider,
                match.rule.operator,
                f"host {host}",
                match.country,
                match.region,
            )
            status, reason = supplier_verdict(ctx, att, match.country)
            message = f"{ref.attribute} pulls from {host}: {reason}"
            if status is Verdict.UNKNOWN:
                yield Case(
                    "SOV205",
                    obj.address,
                    ref.span,
                    status,
                    message,
                    att,
                    _NO_COUNTRY_FIX,
                    reporter="SOV103",
                )
            else:
                yield Case("SOV205", obj.address, ref.span, status, message, att)


def check(facts: WorkloadFacts, ctx: Context) -> Iterator[Finding]:
    return refusals(RULE, facts, ctx, source_cases)
