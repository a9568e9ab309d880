"""Providers and hosts EU teams use (issue #14 item 6): known, sourced, with the right operator.

Expected operators and countries are transcribed from the providers' registry pages and the
companies' own sites cited in policies/.
"""

from __future__ import annotations

import functools

import pytest

from sovlint.catalog.load import load_catalog
from sovlint.catalog.model import Catalog


@functools.lru_cache(maxsize=1)
def cat() -> Catalog:
    return load_catalog()


PROVIDERS = [
    # address, kind, operator country (None for generic / utility)
    ("hashicorp/vault", "generic", None),
    ("hashicorp/consul", "generic", None),
    ("microsoft/azuredevops", "saas", "US"),
    ("gavinbunney/kubectl", "generic", None),
    ("alekc/kubectl", "generic", None),
    ("aztfmod/azurecaf", "utility", None),
    ("grafana/grafana", "generic", None),
    ("PagerDuty/pagerduty", "saas", "US"),
    ("opsgenie/opsgenie", "saas", "US"),
    ("splunk/splunk", "generic", None),
    ("splunk-terraform/signalfx", "saas", "US"),
    ("dynatrace-oss/dynatrace", "saas", "US"),
    ("SumoLogic/sumologic", "saas", "US"),
    ("orange-cloudavenue/cloudavenue", "cloud", "FR"),
    ("vmware/vcd", "generic", None),
    ("cloudscale-ch/cloudscale", "cloud", "CH"),
    ("aiven/aiven", "saas", "FI"),
    ("yandex-cloud/yandex", "cloud", "RU"),
    ("NaverCloudPlatform/ncloud", "cloud", "KR"),
]


@pytest.mark.parametrize(("address", "kind", "country"), PROVIDERS)
def test_provider_is_known(address: str, kind: str, country: str | None) -> None:
    c = cat()
    provider = c.provider_by_source(address)
    assert provider is not None, address
    assert provider.kind == kind
    if country is None:
        assert provider.operator is None
    else:
        assert provider.operator is not None
        assert c.operators[provider.operator].country == country
    assert provider.provenance.source.startswith("https://registry.terraform.io/providers/")


@pytest.mark.parametrize(
    ("address", "attribute"),
    [("hashicorp/vault", "address"), ("grafana/grafana", "url"), ("vmware/vcd", "url")],
)
def test_generic_providers_are_judged_by_their_endpoint(address: str, attribute: str) -> None:
    provider = cat().provider_by_source(address)
    assert provider is not None and attribute in provider.classify_by


HOSTS = [
    ("api.mistral.ai", "mistral", "FR"),
    ("my-vault.abc123.z1.hashicorp.cloud", "hashicorp", None),
    ("login.sto2.safespring.com", "safespring", "SE"),
    ("api.eu.pagerduty.com", "pagerduty", None),
    ("api.us1.signalfx.com", "splunk", None),
    ("abc12345.live.dynatrace.com", "dynatrace", None),
    ("api.cloudscale.ch", "cloudscale", "CH"),
    ("storage.yandexcloud.net", "yandex", "RU"),
]


@pytest.mark.parametrize(("host", "operator", "country"), HOSTS)
def test_host_is_known(host: str, operator: str, country: str | None) -> None:
    match = cat().match_host(host)
    assert match is not None, host
    assert match.rule.operator == operator
    assert match.country == country


def test_cloudscale_zones_are_swiss() -> None:
    provider = cat().providers["cloudscale"]
    for zone in ("lpg1", "rma1"):
        info = provider.region(zone)
        assert info is not None and info.country == "CH"


def test_aiven_cloud_name_stays_unknown() -> None:
    # Aiven runs on the cloud named in cloud_name; its operator is not modelled: unknown.
    provider = cat().providers["aiven"]
    assert "cloud_name" in provider.resource_location_attributes
    assert provider.region("google-europe-west1") is None
