"""`sovlint catalog ...` commands and user overrides of the catalog."""

from __future__ import annotations

import json
from pathlib import Path

from sovlint.catalog.load import CatalogError, load_catalog
from sovtest import run_cli as run

ROOT = Path(__file__).resolve().parent.parent


def test_lookup_prints_country_verdict_and_source() -> None:
    proc = run(["catalog", "lookup", "aws", "eu-west-2"])
    assert proc.returncode == 0
    assert "country GB" in proc.stdout
    assert "verdict under sovereign-eu: not_sovereign" in proc.stdout
    assert "source: " in proc.stdout and "partitions.json" in proc.stdout
    proc = run(["catalog", "lookup", "outscale", "eu-west-2"])
    assert "country FR" in proc.stdout and "sovereign" in proc.stdout


def test_lookup_unknown_region_exits_1() -> None:
    proc = run(["catalog", "lookup", "scaleway", "fr-lyo"])
    assert proc.returncode == 1
    assert "unknown" in proc.stdout


def test_host_lookup() -> None:
    proc = run(["catalog", "host", "s3.fr-par.scw.cloud"])
    assert proc.returncode == 0
    assert (
        "Scaleway" in proc.stdout
        and "country: FR" in proc.stdout
        and "verdict under sovereign-eu: sovereign" in proc.stdout
    )
    proc = run(["catalog", "host", "https://http-intake.logs.datadoghq.eu/api"])
    assert "Datadog" in proc.stdout and "not_sovereign" in proc.stdout


def test_providers_table_and_stale() -> None:
    proc = run(["catalog", "providers", "--profile", "residency-eu"])
    assert proc.returncode == 0
    rows = {
        line.split()[0]: line
        for line in proc.stdout.splitlines()
        if line and not line.startswith(("-", "*"))
    }
    assert "aws" in rows and "sovereign" in rows["aws"]  # any operator under residency
    proc = run(["catalog", "providers", "--stale", "100000"])
    assert proc.returncode == 0 and "ovh" not in proc.stdout.split()


def test_check_reports_counts() -> None:
    proc = run(["catalog", "check"])
    assert proc.returncode == 0
    assert proc.stdout.startswith("catalog OK: ")


OVERRIDE = """\
operators:
  ministry_dc:
    name: Ministry datacentre (in-house)
    country: FR
    parent: French State
    parent_country: FR
    exposure: []
    exposure_note: Operated by the ministry itself.
    source: internal CMDB record 42
    as_of: 2026-11-01
providers:
  - key: acme
    name: In-house cloud
    kind: cloud
    sources: [example-corp/acme]
    prefixes: [acme]
    operator: ministry_dc
    source: internal wiki page
    as_of: 2026-11-01
    location:
      resource_attributes: [site]
    regions:
      - source: internal wiki page
        as_of: 2026-11-01
        countries:
          paris-1: FR
hosts:
  - match: keystone.internal.example
    operator: ministry_dc
    country: FR
    kind: identity
    source: internal wiki page
    as_of: 2026-11-01
"""


def test_override_adds_provider_and_is_reported(tmp_path: Path) -> None:
    case = ROOT / "fixtures" / "terraform" / "sov106-unknown-provider"
    override = tmp_path / "catalog.yaml"
    override.write_text(OVERRIDE)
    assert run(["scan", str(case)]).returncode == 1  # SOV106 without the override
    proc = run(["scan", str(case), "--catalog", str(override), "-f", "json"])
    report = json.loads(proc.stdout)
    # The provider is known now (no SOV106); the widgets write no `site`, so their location
    # stays unknown (SOV104): fail closed, never passed.
    assert {f["rule_id"] for f in report["findings"]} == {"SOV104"}, proc.stdout
    assert report["catalog"]["overrides"] == [str(override)]
    assert {i["operator"] for i in report["inventory"]} == {"Ministry datacentre (in-house)"}


def test_override_through_config(tmp_path: Path) -> None:
    (tmp_path / "sovlint-catalog.yaml").write_text(OVERRIDE)
    (tmp_path / ".sovlint.yaml").write_text("catalog: [sovlint-catalog.yaml]\n")
    (tmp_path / "main.tf").write_text(
        'provider "openstack" {\n  auth_url = "https://keystone.internal.example:5000/v3"\n}\n'
    )
    proc = run(["scan", "."], tmp_path)
    assert proc.returncode == 0, proc.stdout


def test_malformed_override_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(OVERRIDE.replace("    parent_country: FR\n", "    parent_country: France\n"))
    proc = run(["catalog", "check", "--catalog", str(bad)])
    assert proc.returncode == 2
    assert f"{bad}:6:" in proc.stderr and "ISO 3166-1" in proc.stderr
    bad.write_text("providers:\n  - key: x\n    kind: cloud\n")
    proc = run(["scan", ".", "--catalog", str(bad)], tmp_path)
    assert proc.returncode == 2 and f"{bad}:2:" in proc.stderr


def test_override_cannot_claim_a_bundled_source(tmp_path: Path) -> None:
    bad = tmp_path / "steal.yaml"
    bad.write_text(OVERRIDE.replace("example-corp/acme", "hashicorp/aws"))
    try:
        load_catalog(extra_files=[bad])
    except CatalogError as exc:
        assert "claimed by both" in str(exc)
    else:
        raise AssertionError("a second provider claiming hashicorp/aws must be rejected")
