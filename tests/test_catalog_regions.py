"""Region tables completed from the providers' published data (issue #14, item 3 and 4).

Expected countries are transcribed from the sources cited in policies/, not computed from
the catalog, so a missing or wrong entry fails here.
"""

from __future__ import annotations

import functools

import pytest

from sovlint.catalog.load import load_catalog
from sovlint.catalog.model import Catalog


@functools.lru_cache(maxsize=1)
def cat() -> Catalog:
    return load_catalog()


REGIONS = [
    ("ionoscloud", "eu-central-3", "DE"),
    ("ionoscloud", "eu-central-4", "DE"),
    ("ovh", "RBX-A", "FR"),
    ("ovh", "eu-west-lim", "DE"),
    ("ovh", "eu-west-rbx", "FR"),
    ("ovh", "eu-west-gra", "FR"),
    ("oci", "eu-turin-1", "IT"),
    ("oci", "eu-madrid-3", "ES"),
    ("oci", "eu-crissier-1", "CH"),
    ("oci", "eu-budapest-1", "HU"),
    ("upcloud", "no-svg1", "NO"),
    ("azurerm", "taiwannorth", "TW"),
    ("azurerm", "Taiwan Northwest", "TW"),
    ("azurerm", "malaysiasouth", "MY"),
    ("azurerm", "israelnorthwest", "IL"),
    ("azurerm", "southeastus", "US"),
    ("aws", "us-isob-west-1", "US"),
    ("ibm", "eu-de", "DE"),
    ("ibm", "eu-es-2", "ES"),
    ("ibm", "us-south", "US"),
    ("google", "ASIA1", "JP"),
    ("google", "NAM4", "US"),
]


@pytest.mark.parametrize(("provider", "region", "country"), REGIONS)
def test_region_country(provider: str, region: str, country: str) -> None:
    info = cat().providers[provider].region(region)
    assert info is not None, f"{provider} {region} is unknown"
    assert info.country == country
    assert info.provenance.source.startswith("https://")


@pytest.mark.parametrize(
    ("region", "countries"),
    [
        ("EUR4", {"FI", "NL"}),
        ("EUR5", {"BE", "GB"}),
        ("EUR7", {"GB", "DE"}),
        ("EUR8", {"DE", "CH"}),
    ],
)
def test_dual_regions_map_to_all_their_countries(region: str, countries: set[str]) -> None:
    c = cat()
    info = c.providers["google"].region(region)
    assert info is not None
    assert c.expand([info.country]) == frozenset(countries)


def test_dual_region_is_judged_by_its_worst_country() -> None:
    from sovlint import judge
    from sovlint.model import Verdict
    from sovlint.profiles import load_profile

    c = cat()
    profile = load_profile("residency-eu", c)
    assert judge.country("FI+NL", profile, c) is Verdict.SOVEREIGN
    assert judge.country("DE+GB", profile, c) is Verdict.NOT_SOVEREIGN


@pytest.mark.parametrize("provider", ["azurerm", "google"])
def test_global_is_known_and_pinned_to_no_country(provider: str) -> None:
    c = cat()
    info = c.providers[provider].region("global")
    assert info is not None and info.country == "GLOBAL"
    assert c.expand(["GLOBAL"]) == frozenset(c.countries)


def test_global_message_says_not_pinned() -> None:
    from sovlint import judge
    from sovlint.profiles import load_profile

    text = judge.outside_countries("GLOBAL", load_profile("residency-eu", cat()))
    assert "not pinned to any country" in text and "allow_countries" not in text


def test_a_one_country_list_is_refused(tmp_path: pytest.TempPathFactory) -> None:
    from pathlib import Path

    from sovlint.catalog.load import CatalogError, apply_override

    override = Path(str(tmp_path)) / "o.yaml"
    override.write_text(
        "providers:\n"
        "  - key: mycloud\n    name: My cloud\n    kind: cloud\n    sources: [me/mycloud]\n"
        "    prefixes: [mycloud]\n    operator: ovh\n    source: internal\n    as_of: 2026-12-01\n"
        "    regions:\n      - source: internal\n        as_of: 2026-12-01\n"
        "        countries: {pair: [FR]}\n"
    )
    with pytest.raises(CatalogError, match="at least two codes"):
        apply_override(load_catalog(), override)
