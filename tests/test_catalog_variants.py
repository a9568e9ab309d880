"""Sovereign sub-clouds selected by a provider setting (S3NS, Bleu, Delos ...)."""

from __future__ import annotations

import functools

import pytest

from sovlint.catalog.load import load_catalog
from sovlint.catalog.model import Catalog
from sovtest import run_cli


@functools.lru_cache(maxsize=1)
def cat() -> Catalog:
    return load_catalog()


@pytest.mark.parametrize(
    ("value", "variant"),
    [
        ("management.sovcloud-api.fr", "bleu"),
        ("https://management.sovcloud-api.fr/", "bleu"),
        ("MANAGEMENT.SOVCLOUD-API.DE", "delos"),
        ("management.azure.com", None),
        ("evil-sovcloud-api.fr", None),
        ("sovcloud-api.fr.attacker.example", None),
    ],
)
def test_metadata_host_selects_the_sub_cloud(value: str, variant: str | None) -> None:
    from sovlint.attribution import Attributor

    azurerm = cat().providers["azurerm"]
    assert Attributor.variant_of(azurerm, {"metadata_host": value}) == variant


@pytest.mark.parametrize(
    ("region", "variant", "operator", "country"),
    [
        ("bleufrancecentral", "bleu", "bleu", "FR"),
        ("Bleu France South", "bleu", "bleu", "FR"),
        ("deloscloudgermanycentral", "delos", "delos", "DE"),
        ("deloscloudgermanynorth", "delos", "delos", "DE"),
        # The regions exist only in those clouds: without the setting they are still theirs.
        ("bleufrancecentral", None, "bleu", "FR"),
        ("deloscloudgermanynorth", None, "delos", "DE"),
    ],
)
def test_sub_cloud_regions(region: str, variant: str | None, operator: str, country: str) -> None:
    info = cat().providers["azurerm"].region(region, variant)
    assert info is not None and info.operator == operator and info.country == country


def test_sub_cloud_operators_are_european_without_foreign_parent() -> None:
    for key, country in (("bleu", "FR"), ("delos", "DE")):
        op = cat().operators[key]
        assert op.country == country and op.parent_country == country and not op.exposure


@pytest.mark.parametrize(
    ("host", "operator"),
    [("management.sovcloud-api.fr", "bleu"), ("management.sovcloud-api.de", "delos")],
)
def test_sub_cloud_hosts(host: str, operator: str) -> None:
    match = cat().match_host(host)
    assert match is not None and match.rule.operator == operator


def test_lookup_variant_agrees_with_a_scan() -> None:
    proc = run_cli(["catalog", "lookup", "google", "u-france-east1", "--variant", "s3ns"])
    assert proc.returncode == 0, proc.stderr
    assert "S3NS SAS" in proc.stdout
    plain = run_cli(["catalog", "lookup", "google", "u-france-east1"])
    assert plain.returncode == 1 and "--variant s3ns" in plain.stdout
    bleu = run_cli(["catalog", "lookup", "azurerm", "bleufrancecentral", "--variant", "bleu"])
    assert bleu.returncode == 0 and "Bleu SAS" in bleu.stdout
    bad = run_cli(["catalog", "lookup", "azurerm", "westeurope", "--variant", "nope"])
    assert bad.returncode == 2 and "no variant 'nope'" in bad.stderr
