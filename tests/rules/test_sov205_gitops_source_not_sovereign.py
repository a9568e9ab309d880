from __future__ import annotations

import pytest

from sovlint.rules.sov205_gitops_source_not_sovereign import source_hosts
from sovtest import FIXTURES, assert_case, run_scan

CASE = FIXTURES / "kubernetes" / "sov205-gitops-sources"


def test_gitops_sources_under_both_profiles() -> None:
    result = assert_case(CASE, "sovereign-eu")
    by_line = {(f.file, f.line): f for f in result.findings}
    helm = by_line[("argocd.yaml", 25)]
    assert helm.message.startswith("spec.sources[0].repoURL pulls from ghcr.io")
    assert helm.jurisdiction == "US"
    assert "gitlab.com" in by_line[("argocd.yaml", 43)].message  # git@gitlab.com:acme/...
    assert_case(CASE, "residency-eu")


def test_a_source_host_the_catalog_does_not_know_is_unknown() -> None:
    items = {i.address: i for i in run_scan(CASE, "sovereign-eu").inventory}
    assert items["HelmRepository/flux-system/internal"].verdict.value == "unknown"


@pytest.mark.parametrize(
    ("value", "hosts"),
    [
        ("git@github.com:acme/repo.git", ["github.com"]),
        ("ssh://git@gitlab.com/acme/repo", ["gitlab.com"]),
        ("oci://ghcr.io/acme/charts", ["ghcr.io"]),
        ("https://charts.example.eu", ["charts.example.eu"]),
        ("s3.fr-par.scw.cloud", ["s3.fr-par.scw.cloud"]),
    ],
)
def test_source_hosts(value: str, hosts: list[str]) -> None:
    assert source_hosts(value) == hosts
