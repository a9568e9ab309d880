"""SaaS providers pointed at another instance are judged by that host (#12 item 4); the
fixture fixtures/terraform/self-hosted-saas holds the verdicts per profile."""

from __future__ import annotations

from pathlib import Path

import pytest

from sovlint.catalog.load import CatalogError, apply_override, load_catalog
from sovlint.engine import ScanOptions, scan
from sovlint.profiles import load_profile

MAIN = """
terraform {
  required_providers {
    gitlab = { source = "gitlabhq/gitlab" }
  }
}
provider "gitlab" {
  base_url = "https://gitlab.example.org/api/v4/"
}
resource "gitlab_project" "app" {
  name = "app"
}
"""

OVERRIDE = """
hosts:
  - match: gitlab.example.org
    operator: ovh
    country: FR
    kind: saas
    source: our hosting contract with OVHcloud, ref. 2026-042
    as_of: 2026-12-01
"""


def _rules(tmp_path: Path, override: Path | None) -> list[tuple[str, str]]:
    (tmp_path / "main.tf").write_text(MAIN)
    cat = load_catalog()
    if override is not None:
        apply_override(cat, override)
        cat.index()
    options = ScanOptions(
        paths=[tmp_path], profile=load_profile("sovereign-eu", cat), catalog=cat, cwd=tmp_path
    )
    return sorted((f.rule_id, f.address) for f in scan(options).findings)


def test_an_unknown_instance_is_reported_and_a_catalog_override_makes_it_known(
    tmp_path: Path,
) -> None:
    # without the override: who runs gitlab.example.org is unknown (never GitLab Inc.)
    assert _rules(tmp_path, None) == [("SOV106", "provider.gitlab")]
    # the way out the finding names: a hosts entry saying who runs it and where
    override = tmp_path / "catalog.yaml"
    override.write_text(OVERRIDE)
    assert _rules(tmp_path, override) == []


def test_self_hosted_by_is_refused_outside_saas_providers(tmp_path: Path) -> None:
    override = tmp_path / "o.yaml"
    override.write_text(
        "providers:\n"
        "  - key: mytool\n    name: My tool\n    kind: generic\n    sources: [me/mytool]\n"
        "    prefixes: [mytool]\n    self_hosted_by: [url]\n"
        "    source: internal\n    as_of: 2026-12-01\n"
    )
    with pytest.raises(CatalogError, match=r"o\.yaml:7: self_hosted_by is for saas providers"):
        apply_override(load_catalog(), override)
