"""The bundled catalog data (`policies/`): it loads, and it says what the research says.

Expected tables are transcribed from the research file (sections 1.1-1.3 and 2), not
computed from the catalog, so a wrong or missing entry fails here.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re

import pytest

from sovlint import judge
from sovlint.catalog.load import load_catalog
from sovlint.catalog.model import Catalog


@functools.lru_cache(maxsize=1)
def cat() -> Catalog:
    return load_catalog()


def test_catalog_loads() -> None:
    c = cat()
    assert len(c.operators) >= 60
    assert len(c.providers) >= 57
    assert len(c.hosts) >= 150


# --------------------------------------------------------------------------- sources
# Every provider source address named in research sections 1.1, 1.2 and 1.3.
SOURCES = {
    # 1.1 hyperscalers, Chinese and other non-EU IaaS
    "hashicorp/aws": "aws",
    "hashicorp/awscc": "aws",
    "hashicorp/google": "google",
    "hashicorp/google-beta": "google",
    "hashicorp/azurerm": "azurerm",
    "hashicorp/azuread": "azurerm",
    "azure/azapi": "azurerm",
    "oracle/oci": "oci",
    "IBM-Cloud/ibm": "ibm",
    "aliyun/alicloud": "alicloud",
    "tencentcloudstack/tencentcloud": "tencentcloud",
    "huaweicloud/huaweicloud": "huaweicloud",
    "digitalocean/digitalocean": "digitalocean",
    "linode/linode": "linode",
    "vultr/vultr": "vultr",
    # 1.2 US SaaS
    "cloudflare/cloudflare": "cloudflare",
    "DataDog/datadog": "datadog",
    "newrelic/newrelic": "newrelic",
    "jianyuan/sentry": "sentry",
    "integrations/github": "github",
    "gitlabhq/gitlab": "gitlab",
    "auth0/auth0": "auth0",
    "okta/okta": "okta",
    "mongodb/mongodbatlas": "mongodbatlas",
    "snowflakedb/snowflake": "snowflake",
    "Snowflake-Labs/snowflake": "snowflake",
    "confluentinc/confluent": "confluent",
    "elastic/ec": "ec",
    "elastic/elasticstack": "elasticstack",
    "heroku/heroku": "heroku",
    "vercel/vercel": "vercel",
    "netlify/netlify": "netlify",
    "fastly/fastly": "fastly",
    "akamai/akamai": "akamai",
    "hashicorp/hcp": "hcp",
    "hashicorp/tfe": "tfe",
    # 1.3 European providers
    "ovh/ovh": "ovh",
    "scaleway/scaleway": "scaleway",
    "outscale/outscale": "outscale",
    "hetznercloud/hcloud": "hcloud",
    "ionos-cloud/ionoscloud": "ionoscloud",
    "stackitcloud/stackit": "stackit",
    "opentelekomcloud/opentelekomcloud": "opentelekomcloud",
    "exoscale/exoscale": "exoscale",
    "Infomaniak/infomaniak": "infomaniak",
    "terraform-provider-openstack/openstack": "openstack",
    "UpCloudLtd/upcloud": "upcloud",
    "Cloud-Temple/cloudtemple": "cloudtemple",
    "numspot/numspot": "numspot",
    "CleverCloud/clevercloud": "clevercloud",
    "FlexibleEngineCloud/flexibleengine": "flexibleengine",
    "arubacloud/arubacloud": "arubacloud",
    "G-Core/gcore": "gcore",
    "LeaseWeb/leaseweb": "leaseweb",
    # generic
    "hashicorp/kubernetes": "kubernetes",
    "hashicorp/helm": "helm",
}


@pytest.mark.parametrize(("source", "key"), sorted(SOURCES.items()))
def test_provider_source_is_catalogued(source: str, key: str) -> None:
    provider = cat().provider_by_source(source)
    assert provider is not None, source
    assert provider.key == key
    # the registry host does not matter (Terraform vs OpenTofu)
    assert cat().provider_by_source(f"registry.opentofu.org/{source}") is provider
    assert cat().provider_by_source(f"registry.terraform.io/{source}") is provider


@pytest.mark.parametrize(
    ("key", "operator"),
    [
        ("aws", "aws"),
        ("google", "google"),
        ("azurerm", "microsoft"),
        ("oci", "oracle"),
        ("ibm", "ibm"),
        ("alicloud", "alibaba"),
        ("tencentcloud", "tencent"),
        ("huaweicloud", "huawei"),
        ("digitalocean", "digitalocean"),
        ("linode", "akamai"),
        ("vultr", "vultr"),
        ("cloudflare", "cloudflare"),
        ("datadog", "datadog"),
        ("newrelic", "newrelic"),
        ("sentry", "sentry"),
        ("github", "github"),
        ("gitlab", "gitlab"),
        ("auth0", "okta"),
        ("okta", "okta"),
        ("mongodbatlas", "mongodb"),
        ("snowflake", "snowflake"),
        ("confluent", "confluent"),
        ("ec", "elastic"),
        ("elasticstack", "elastic"),
        ("heroku", "salesforce"),
        ("vercel", "vercel"),
        ("netlify", "netlify"),
        ("fastly", "fastly"),
        ("akamai", "akamai"),
        ("hcp", "hashicorp"),
        ("tfe", "hashicorp"),
        ("ovh", "ovh"),
        ("scaleway", "scaleway"),
        ("outscale", "outscale"),
        ("hcloud", "hetzner"),
        ("ionoscloud", "ionos"),
        ("stackit", "stackit"),
        ("opentelekomcloud", "t_systems"),
        ("exoscale", "exoscale"),
        ("infomaniak", "infomaniak"),
        ("upcloud", "upcloud"),
        ("cloudtemple", "cloud_temple"),
        ("numspot", "numspot"),
        ("clevercloud", "clever_cloud"),
        ("flexibleengine", "orange_business"),
        ("arubacloud", "aruba"),
        ("gcore", "gcore"),
        ("leaseweb", "leaseweb"),
    ],
)
def test_provider_operator(key: str, operator: str) -> None:
    assert cat().providers[key].operator == operator


@pytest.mark.parametrize(
    ("operator", "country", "parent_country", "exposed"),
    [
        ("aws", "US", "US", True),
        ("aws_eusc", "DE", "US", True),
        ("google", "US", "US", True),
        ("microsoft", "US", "US", True),
        ("oracle", "US", "US", True),
        ("ibm", "US", "US", True),
        ("github", "US", "US", True),
        ("hashicorp", "US", "US", True),
        ("redhat", "US", "US", True),
        ("openai", "US", "US", True),
        ("anthropic", "US", "US", True),
        ("docker", "US", "US", True),
        ("alibaba", "CN", "CN", True),
        ("tencent", "CN", "CN", True),
        ("huawei", "CN", "CN", True),
        ("21vianet", "CN", "CN", True),
        ("sinnet", "CN", "CN", True),
        ("nwcd", "CN", "CN", True),
        ("ovh", "FR", "FR", False),
        ("ovh_us", "US", "FR", True),
        ("scaleway", "FR", "FR", False),
        ("outscale", "FR", "FR", False),
        ("outscale_us", "US", "FR", True),
        ("hetzner", "DE", "DE", False),
        ("ionos", "DE", "DE", False),
        ("stackit", "DE", "DE", False),
        ("t_systems", "DE", "DE", False),
        ("t_systems_ch", "CH", "DE", False),
        ("exoscale", "CH", "MX", False),
        ("infomaniak", "CH", "CH", False),
        ("upcloud", "FI", "FI", False),
        ("cloud_temple", "FR", "FR", False),
        ("numspot", "FR", "FR", False),
        ("clever_cloud", "FR", "FR", False),
        ("orange_business", "FR", "FR", False),
        ("aruba", "IT", "IT", False),
        ("gcore", "LU", "LU", False),
        ("leaseweb", "NL", "NL", False),
        ("elastx", "SE", "SE", False),
        ("cloudferro", "PL", "PL", False),
        ("cleura", "SE", "SE", False),
        ("s3ns", "FR", "FR", False),
        ("bleu", "FR", "FR", False),
        ("elastic", "NL", "NL", True),
    ],
)
def test_operator_jurisdiction(
    operator: str, country: str, parent_country: str, exposed: bool
) -> None:
    op = cat().operators[operator]
    assert op.country == country
    assert op.parent_country == parent_country
    assert bool(op.exposure) is exposed
    us = {"cloud_act", "fisa702"}
    if parent_country == "US" or country == "US":
        assert us <= set(op.exposure)
    if parent_country == "CN":
        assert op.exposure == ("china_nil",)


# --------------------------------------------------------------------------- regions
AWS = {
    "af-south-1": "ZA",
    "ap-east-1": "HK",
    "ap-east-2": "TW",
    "ap-northeast-1": "JP",
    "ap-northeast-2": "KR",
    "ap-northeast-3": "JP",
    "ap-south-1": "IN",
    "ap-south-2": "IN",
    "ap-southeast-1": "SG",
    "ap-southeast-2": "AU",
    "ap-southeast-3": "ID",
    "ap-southeast-4": "AU",
    "ap-southeast-5": "MY",
    "ap-southeast-6": "NZ",
    "ap-southeast-7": "TH",
    "ca-central-1": "CA",
    "ca-west-1": "CA",
    "eu-central-1": "DE",
    "eu-central-2": "CH",
    "eu-north-1": "SE",
    "eu-south-1": "IT",
    "eu-south-2": "ES",
    "eu-west-1": "IE",
    "eu-west-2": "GB",
    "eu-west-3": "FR",
    "il-central-1": "IL",
    "me-central-1": "AE",
    "me-south-1": "BH",
    "mx-central-1": "MX",
    "sa-east-1": "BR",
    "us-east-1": "US",
    "us-east-2": "US",
    "us-west-1": "US",
    "us-west-2": "US",
    "aws-global": "US",
    "cn-north-1": "CN",
    "cn-northwest-1": "CN",
    "us-gov-east-1": "US",
    "us-gov-west-1": "US",
    "us-iso-east-1": "US",
    "us-iso-west-1": "US",
    "us-isob-east-1": "US",
    "eu-isoe-west-1": "GB",
    "us-isof-east-1": "US",
    "us-isof-south-1": "US",
    "eusc-de-east-1": "DE",
    # availability zones
    "eu-west-3a": "FR",
    "eu-central-1b": "DE",
    "eusc-de-east-1a": "DE",
}

GOOGLE = {
    "africa-south1": "ZA",
    "asia-east1": "TW",
    "asia-east2": "HK",
    "asia-northeast1": "JP",
    "asia-northeast2": "JP",
    "asia-northeast3": "KR",
    "asia-south1": "IN",
    "asia-south2": "IN",
    "asia-southeast1": "SG",
    "asia-southeast2": "ID",
    "asia-southeast3": "TH",
    "australia-southeast1": "AU",
    "australia-southeast2": "AU",
    "europe-central2": "PL",
    "europe-north1": "FI",
    "europe-north2": "SE",
    "europe-southwest1": "ES",
    "europe-west1": "BE",
    "europe-west2": "GB",
    "europe-west3": "DE",
    "europe-west4": "NL",
    "europe-west6": "CH",
    "europe-west8": "IT",
    "europe-west9": "FR",
    "europe-west10": "DE",
    "europe-west12": "IT",
    "me-central1": "QA",
    "me-central2": "SA",
    "me-west1": "IL",
    "northamerica-northeast1": "CA",
    "northamerica-northeast2": "CA",
    "northamerica-south1": "MX",
    "southamerica-east1": "BR",
    "southamerica-west1": "CL",
    "us-central1": "US",
    "us-east1": "US",
    "us-east4": "US",
    "us-east5": "US",
    "us-south1": "US",
    "us-west1": "US",
    "us-west2": "US",
    "us-west3": "US",
    "us-west4": "US",
    # GCS / BigQuery multi-regions, as written by users and as reported by the API
    "EU": "EU",
    "eu": "EU",
    "US": "US",
    # zones and upper-case GCS locations
    "europe-west9-a": "FR",
    "EUROPE-WEST9": "FR",
}

AZURE = {
    "northeurope": "IE",
    "westeurope": "NL",
    "francecentral": "FR",
    "francesouth": "FR",
    "germanywestcentral": "DE",
    "germanynorth": "DE",
    "swedencentral": "SE",
    "swedensouth": "SE",
    "norwayeast": "NO",
    "norwaywest": "NO",
    "switzerlandnorth": "CH",
    "switzerlandwest": "CH",
    "uksouth": "GB",
    "ukwest": "GB",
    "polandcentral": "PL",
    "italynorth": "IT",
    "spaincentral": "ES",
    "austriaeast": "AT",
    "belgiumcentral": "BE",
    "denmarkeast": "DK",
    "finlandcentral": "FI",
    "eastus": "US",
    "eastus2": "US",
    "centralus": "US",
    "northcentralus": "US",
    "southcentralus": "US",
    "westcentralus": "US",
    "westus": "US",
    "westus2": "US",
    "westus3": "US",
    "canadacentral": "CA",
    "canadaeast": "CA",
    "brazilsouth": "BR",
    "brazilsoutheast": "BR",
    "mexicocentral": "MX",
    "chilecentral": "CL",
    "southafricanorth": "ZA",
    "southafricawest": "ZA",
    "uaenorth": "AE",
    "uaecentral": "AE",
    "qatarcentral": "QA",
    "israelcentral": "IL",
    "centralindia": "IN",
    "southindia": "IN",
    "westindia": "IN",
    "jioindiacentral": "IN",
    "jioindiawest": "IN",
    "eastasia": "HK",
    "southeastasia": "SG",
    "japaneast": "JP",
    "japanwest": "JP",
    "koreacentral": "KR",
    "koreasouth": "KR",
    "australiaeast": "AU",
    "australiasoutheast": "AU",
    "australiacentral": "AU",
    "australiacentral2": "AU",
    "newzealandnorth": "NZ",
    "indonesiacentral": "ID",
    "malaysiawest": "MY",
    # display names as written in azurerm `location`
    "West Europe": "NL",
    "France Central": "FR",
    "Germany West Central": "DE",
}
AZURE_CHINA = dict.fromkeys(
    ("chinaeast", "chinaeast2", "chinaeast3", "chinanorth", "chinanorth2", "chinanorth3"), "CN"
)
AZURE_GOV = dict.fromkeys(
    ("usgovvirginia", "usgovarizona", "usgovtexas", "usgoviowa", "usdodeast", "usdodcentral"), "US"
)

OCI = {
    "us-ashburn-1": "US",
    "us-phoenix-1": "US",
    "us-sanjose-1": "US",
    "us-chicago-1": "US",
    "us-saltlake-2": "US",
    "ca-montreal-1": "CA",
    "ca-toronto-1": "CA",
    "uk-london-1": "GB",
    "uk-cardiff-1": "GB",
    "eu-amsterdam-1": "NL",
    "eu-madrid-1": "ES",
    "eu-milan-1": "IT",
    "eu-paris-1": "FR",
    "eu-marseille-1": "FR",
    "eu-frankfurt-1": "DE",
    "eu-zurich-1": "CH",
    "eu-stockholm-1": "SE",
    "eu-jovanovac-1": "RS",
    "ap-tokyo-1": "JP",
    "ap-osaka-1": "JP",
    "ap-seoul-1": "KR",
    "ap-chuncheon-1": "KR",
    "ap-mumbai-1": "IN",
    "ap-hyderabad-1": "IN",
    "ap-sydney-1": "AU",
    "ap-melbourne-1": "AU",
    "ap-singapore-1": "SG",
    "ap-singapore-2": "SG",
    "sa-saopaulo-1": "BR",
    "sa-vinhedo-1": "BR",
    "sa-santiago-1": "CL",
    "sa-valparaiso-1": "CL",
    "sa-bogota-1": "CO",
    "mx-queretaro-1": "MX",
    "mx-monterrey-1": "MX",
    "me-jeddah-1": "SA",
    "me-dubai-1": "AE",
    "me-abudhabi-1": "AE",
    "il-jerusalem-1": "IL",
    "af-johannesburg-1": "ZA",
    "eu-frankfurt-2": "DE",
    "eu-madrid-2": "ES",
    "us-langley-1": "US",
    "us-luke-1": "US",
    "us-gov-ashburn-1": "US",
    "uk-gov-london-1": "GB",
    "uk-gov-cardiff-1": "GB",
    "eu-dcc-dublin-1": "IE",
    "eu-dcc-dublin-2": "IE",
    "eu-dcc-milan-1": "IT",
    "eu-dcc-milan-2": "IT",
    "eu-dcc-rating-1": "DE",
    "eu-dcc-rating-2": "DE",
    "eu-dcc-rome-1": "IT",
    "eu-dcc-zurich-1": "CH",
    "ap-hobsonville-1": "NZ",
}

OVH = {
    # Public Cloud codes, as the API writes them
    "GRA5": "FR",
    "GRA7": "FR",
    "GRA9": "FR",
    "GRA11": "FR",
    "SBG5": "FR",
    "SBG7": "FR",
    "RBX": "FR",
    "RBX8": "FR",
    "EU-WEST-PAR": "FR",
    "EU-SOUTH-MIL": "IT",
    "DE1": "DE",
    "UK1": "GB",
    "WAW1": "PL",
    "BHS5": "CA",
    "CA-EAST-TOR": "CA",
    "SGP1": "SG",
    "SYD1": "AU",
    "AP-SOUTHEAST-SYD": "AU",
    "AP-SOUTH-MUM": "IN",
    "US-EAST-VA": "US",
    "US-EAST-VA-1": "US",
    "US-WEST-OR": "US",
    "US-WEST-OR-1": "US",
    "EU-WEST-LZ-LUX-A": "LU",
    "EU-WEST-LZ-BRU-A": "BE",
    "EU-SOUTH-LZ-MAD-A": "ES",
    # lower case, as some resources and the S3 endpoints write them
    "gra11": "FR",
    "gra": "FR",
    "rbx": "FR",
    "sbg": "FR",
    "eu-west-par": "FR",
    "de": "DE",
    "uk": "GB",
    "waw": "PL",
    "bhs": "CA",
    "ca-east-tor": "CA",
    "sgp": "SG",
    "ap-southeast-syd": "AU",
    "ap-south-mum": "IN",
    "us-east-va": "US",
    "us-west-or": "US",
    "rbx-archive": "FR",
    # 3-AZ zones
    "eu-west-par-a": "FR",
    "EU-WEST-PAR-C": "FR",
}

SCALEWAY = {
    "fr-par": "FR",
    "nl-ams": "NL",
    "pl-waw": "PL",
    "it-mil": "IT",
    "fr-par-1": "FR",
    "fr-par-2": "FR",
    "fr-par-3": "FR",
    "nl-ams-1": "NL",
    "nl-ams-3": "NL",
    "pl-waw-1": "PL",
    "pl-waw-3": "PL",
    "it-mil-1": "IT",
    "par1": "FR",
    "ams1": "NL",
}

OUTSCALE = {
    "eu-west-2": "FR",
    "cloudgouv-eu-west-1": "FR",
    "us-east-2": "US",
    "us-west-1": "US",
    "ap-northeast-1": "JP",
    "eu-west-2a": "FR",
    "cloudgouv-eu-west-1a": "FR",
}

HCLOUD = {
    "fsn1": "DE",
    "nbg1": "DE",
    "hel1": "FI",
    "ash": "US",
    "hil": "US",
    "sin": "SG",
    "fsn1-dc14": "DE",
    "nbg1-dc3": "DE",
    "hel1-dc2": "FI",
    "ash-dc1": "US",
}

IONOS = {
    "de/fra": "DE",
    "de/fra/2": "DE",
    "de/txl": "DE",
    "es/vit": "ES",
    "fr/par": "FR",
    "gb/lhr": "GB",
    "gb/bhx": "GB",
    "us/las": "US",
    "us/ewr": "US",
    "us/mci": "US",
    # S3 regions (s3-<region>.ionoscloud.com)
    "de": "DE",
    "eu-central-1": "DE",
    "eu-central-2": "DE",
    "eu-south-2": "ES",
}

EXOSCALE = {
    "ch-gva-2": "CH",
    "ch-dk-2": "CH",
    "de-fra-1": "DE",
    "de-muc-1": "DE",
    "at-vie-1": "AT",
    "at-vie-2": "AT",
    "bg-sof-1": "BG",
    "hr-zag-1": "HR",
}

STACKIT = {"eu01": "DE", "eu02": "AT"}

UPCLOUD = {
    "fi-hel1": "FI",
    "fi-hel2": "FI",
    "de-fra1": "DE",
    "nl-ams1": "NL",
    "uk-lon1": "GB",
    "pl-waw1": "PL",
    "es-mad1": "ES",
    "se-sto1": "SE",
    "dk-cph1": "DK",
    "us-chi1": "US",
    "us-nyc1": "US",
    "us-sjo1": "US",
    "sg-sin1": "SG",
    "au-syd1": "AU",
}

OTC = {"eu-de": "DE", "eu-nl": "NL", "eu-ch2": "CH", "eu-de-01": "DE", "eu-nl-01": "NL"}

REGION_TABLES = {
    "aws": AWS,
    "google": GOOGLE,
    "azurerm": AZURE,
    "oci": OCI,
    "ovh": OVH,
    "scaleway": SCALEWAY,
    "outscale": OUTSCALE,
    "hcloud": HCLOUD,
    "ionoscloud": IONOS,
    "exoscale": EXOSCALE,
    "stackit": STACKIT,
    "upcloud": UPCLOUD,
    "opentelekomcloud": OTC,
}


@pytest.mark.parametrize(
    ("provider", "region", "country"),
    [(p, r, c) for p, table in REGION_TABLES.items() for r, c in table.items()],
)
def test_region_country(provider: str, region: str, country: str) -> None:
    info = cat().providers[provider].region(region)
    assert info is not None, f"{provider}: {region} unknown"
    assert info.country == country


@pytest.mark.parametrize(
    ("variant", "region", "country"),
    [("china", r, c) for r, c in AZURE_CHINA.items()]
    + [("usgovernment", r, c) for r, c in AZURE_GOV.items()],
)
def test_azure_sovereign_clouds(variant: str, region: str, country: str) -> None:
    azure = cat().providers["azurerm"]
    info = azure.region(region, variant)
    assert info is not None and info.country == country
    assert azure.region(region) is None  # not a public Azure region
    if variant == "china":
        assert info.operator == "21vianet"
    assert next(v for v in azure.variants if v.key == variant).attribute == "environment"


@pytest.mark.parametrize(
    ("provider", "region", "operator"),
    [
        ("aws", "cn-north-1", "sinnet"),
        ("aws", "cn-northwest-1", "nwcd"),
        ("aws", "eusc-de-east-1", "aws_eusc"),
        ("ovh", "US-EAST-VA-1", "ovh_us"),
        ("ovh", "us-west-or", "ovh_us"),
        ("outscale", "us-east-2", "outscale_us"),
        ("outscale", "us-west-1a", "outscale_us"),
        ("opentelekomcloud", "eu-ch2", "t_systems_ch"),
    ],
)
def test_region_operated_by_another_entity(provider: str, region: str, operator: str) -> None:
    info = cat().providers[provider].region(region)
    assert info is not None and info.operator == operator


@pytest.mark.parametrize(
    ("provider", "region"),
    [
        ("aws", "eu-west-3"),
        ("ovh", "GRA11"),
        ("ovh", "EU-WEST-PAR"),
        ("outscale", "eu-west-2"),
        ("scaleway", "fr-par"),
        ("google", "europe-west9"),
    ],
)
def test_region_operated_by_the_provider_operator(provider: str, region: str) -> None:
    info = cat().providers[provider].region(region)
    assert info is not None and info.operator is None


def test_unknown_regions_stay_unknown() -> None:
    c = cat()
    assert c.providers["aws"].region("eu-west-9") is None
    assert c.providers["google"].region("europe-west15") is None  # location unknown
    assert c.providers["google"].region("asia") is None  # no country group fits
    assert c.providers["ovh"].region("EU-WEST-LZ-XYZ-A") is None
    # AWS Local Zones can sit in another country than their parent region
    assert c.providers["aws"].region("eu-central-1-waw-1a") is None


# --------------------------------------------------------------------------- collisions
@pytest.mark.parametrize(
    ("provider", "region", "country"),
    [
        ("aws", "eu-west-2", "GB"),
        ("outscale", "eu-west-2", "FR"),
        ("aws", "eu-west-1", "IE"),
        ("alicloud", "eu-west-1", "GB"),
        ("aws", "eu-central-2", "CH"),
        ("ionoscloud", "eu-central-2", "DE"),
        ("aws", "ap-southeast-3", "ID"),
        ("alicloud", "ap-southeast-3", "MY"),
        ("aws", "ap-southeast-5", "MY"),
        ("alicloud", "ap-southeast-5", "ID"),
        ("aws", "ap-southeast-6", "NZ"),
        ("alicloud", "ap-southeast-6", "PH"),
        ("aws", "us-east-2", "US"),
        ("outscale", "us-east-2", "US"),
        ("aws", "ap-northeast-1", "JP"),
        ("outscale", "ap-northeast-1", "JP"),
        ("huaweicloud", "eu-west-0", "FR"),
        ("flexibleengine", "eu-west-0", "FR"),
        ("scaleway", "fr-par", "FR"),
        ("linode", "fr-par", "FR"),
        ("scaleway", "nl-ams", "NL"),
        ("linode", "nl-ams", "NL"),
    ],
)
def test_ambiguous_region_names_resolve_per_provider(
    provider: str, region: str, country: str
) -> None:
    info = cat().providers[provider].region(region)
    assert info is not None and info.country == country


def test_same_region_name_different_operators() -> None:
    c = cat()
    assert c.providers["huaweicloud"].operator == "huawei"
    assert c.providers["flexibleengine"].operator == "orange_business"
    assert c.providers["linode"].operator == "akamai"
    assert c.providers["scaleway"].operator == "scaleway"


# --------------------------------------------------------------------------- S3NS, certifications
def test_s3ns_variant() -> None:
    google = cat().providers["google"]
    variant = next(v for v in google.variants if v.key == "s3ns")
    assert variant.attribute == "universe_domain"
    assert variant.equals == ("s3nsapis.fr",)
    assert variant.operator == "s3ns"
    assert google.region("u-france-east1") is None  # not a Google-operated region
    for name in ("u-france-east1", "u-france-east1-a", "u-france-east1-c"):
        info = google.region(name, "s3ns")
        assert info is not None and info.country == "FR" and info.operator == "s3ns"
        assert judge.region_certified(cat(), google, info, "secnumcloud", "s3ns", "s3ns")
    premi3ns = judge.offers(cat(), google, "s3ns", "secnumcloud")
    assert [o.cert.date for o in premi3ns] == ["2025-12-17"]
    assert google.region("europe-west9", "s3ns") is None


def test_secnumcloud_certifications() -> None:
    """Each qualified offer is judged per offer: the region (and resource types) it covers."""
    c = cat()
    outscale = c.providers["outscale"]
    gov = outscale.region("cloudgouv-eu-west-1a")
    assert judge.region_certified(c, outscale, gov, "secnumcloud", None, "outscale")
    plain = outscale.region("eu-west-2")
    assert not judge.region_certified(c, outscale, plain, "secnumcloud", None, "outscale")
    assert judge.offers(c, c.providers["cloudtemple"], "cloud_temple", "secnumcloud")
    # "in process" is never qualified
    assert c.providers["numspot"].certifications
    assert not any(x.qualified for x in c.providers["numspot"].certifications)
    for key in ("scaleway", "bleu", "numspot"):
        certs = c.operators[key].certifications
        assert certs and all(x.status == "in_process" for x in certs)
    assert any(x.qualified for x in c.operators["s3ns"].certifications)
    # no public-cloud provider-wide SecNumCloud claim for OVH, Scaleway, AWS, Google
    for key in ("ovh", "scaleway", "aws", "google", "azurerm"):
        assert not any(x.qualified for x in c.providers[key].certifications)
    # OVHcloud's qualified offers exist, but no resource type of the ovh provider is in them
    ovh = judge.offers(c, c.providers["ovh"], "ovh", "secnumcloud")
    assert len(ovh) == 2 and not any(o.resources for o in ovh)
    gra = c.providers["ovh"].region("GRA")
    assert not judge.region_certified(c, c.providers["ovh"], gra, "secnumcloud", None, "ovh")


# --------------------------------------------------------------------------- hosts
@pytest.mark.parametrize(
    ("host", "operator", "country"),
    [
        ("s3.fr-par.scw.cloud", "scaleway", "FR"),
        ("bucket.s3.nl-ams.scw.cloud", "scaleway", "NL"),
        ("rg.fr-par.scw.cloud", "scaleway", "FR"),
        ("s3.gra.io.cloud.ovh.net", "ovh", "FR"),
        ("s3.eu-west-par.io.cloud.ovh.net", "ovh", "FR"),
        ("s3.rbx.perf.cloud.ovh.net", "ovh", "FR"),
        ("s3.de.io.cloud.ovh.net", "ovh", "DE"),
        ("s3.us-east-va.io.cloud.ovh.us", "ovh_us", "US"),
        ("abc.c1.gra9.container-registry.ovh.net", "ovh", "FR"),
        ("oos.eu-west-2.outscale.com", "outscale", "FR"),
        ("oos.cloudgouv-eu-west-1.outscale.com", "outscale", "FR"),
        ("oos.us-east-2.outscale.com", "outscale_us", "US"),
        ("sos-ch-gva-2.exo.io", "exoscale", "CH"),
        ("sos-de-fra-1.exo.io", "exoscale", "DE"),
        ("s3-eu-central-2.ionoscloud.com", "ionos", "DE"),
        ("s3-eu-south-2.ionoscloud.com", "ionos", "ES"),
        ("kafka.de-fra.ionos.com", "ionos", "DE"),
        ("myreg.cr.de-fra.ionos.com", "ionos", "DE"),
        ("fsn1.your-objectstorage.com", "hetzner", "DE"),
        ("bucket.hel1.your-objectstorage.com", "hetzner", "FI"),
        ("object.storage.eu01.onstackit.cloud", "stackit", "DE"),
        ("obs.eu-de.otc.t-systems.com", "t_systems", "DE"),
        ("obs.eu-nl.otc.t-systems.com", "t_systems", "NL"),
        ("obs.eu-ch2.sc.otc.t-systems.com", "t_systems_ch", "CH"),
        ("swr.eu-ch2.sc.otc.t-systems.com", "t_systems_ch", "CH"),
        ("oss.eu-west-0.prod-cloud-ocb.orange-business.com", "orange_business", "FR"),
        ("s3.swiss-backup03.infomaniak.com", "infomaniak", "CH"),
        ("api.pub1.infomaniak.cloud", "infomaniak", "CH"),
        ("ops.elastx.cloud", "elastx", "SE"),
        ("kna1.citycloud.com", "cleura", "SE"),
        ("s-ed1.cloud.gcore.lu", "gcore", "LU"),
        ("bucket.s3.eu-west-3.amazonaws.com", "aws", "FR"),
        ("123456789012.dkr.ecr.eu-west-1.amazonaws.com", "aws", "IE"),
        ("123456789012.dkr.ecr.eusc-de-east-1.amazonaws.eu", "aws_eusc", "DE"),
        ("oidc.eusc-de-east-1.amazonaws.eu", "aws_eusc", "DE"),
        ("s3.cn-north-1.amazonaws.com.cn", "sinnet", "CN"),
        ("europe-west9-docker.pkg.dev", "google", "FR"),
        ("compute.s3nsapis.fr", "s3ns", "FR"),
        ("myvault.vault.azure.net", "microsoft", None),
        ("myacct.blob.core.chinacloudapi.cn", "21vianet", "CN"),
        ("abc.eu.r2.cloudflarestorage.com", "cloudflare", "EU"),
        ("http-intake.logs.datadoghq.eu", "datadog", "DE"),
        ("datadoghq.eu", "datadog", "DE"),
        ("api.datadoghq.com", "datadog", "US"),
        ("api.ap1.datadoghq.com", "datadog", "JP"),
        ("o123.ingest.de.sentry.io", "sentry", "DE"),
        ("api.openai.com", "openai", None),
        ("myres.openai.azure.com", "microsoft", None),
        ("api.anthropic.com", "anthropic", None),
        ("app.terraform.io", "hashicorp", None),
        ("gitlab.com", "gitlab", None),
        ("github.com", "github", None),
    ],
)
def test_host(host: str, operator: str, country: str | None) -> None:
    m = cat().match_host(host)
    assert m is not None, host
    assert m.rule.operator == operator
    assert m.country == country


def test_host_openai_and_datadog_eu() -> None:
    c = cat()
    scw = c.match_host("s3.fr-par.scw.cloud")
    assert scw is not None and scw.rule.operator == "scaleway" and scw.country == "FR"
    oai = c.match_host("api.openai.com")
    assert oai is not None and oai.rule.operator == "openai"
    dd = c.match_host("http-intake.logs.datadoghq.eu")
    assert dd is not None and dd.rule.operator == "datadog"
    datadog = c.operators[dd.rule.operator]
    assert datadog.parent_country == "US"  # EU-located, US-controlled
    assert "cloud_act" in datadog.exposure


def test_host_kinds() -> None:
    c = cat()
    expect = {
        "app.terraform.io": "state",
        "auth.cloud.ovh.net": "identity",
        "s3.fr-par.scw.cloud": "storage",
        "docker.io": "registry",
        "registry-1.docker.io": "registry",
        "index.docker.io": "registry",
        "gcr.io": "registry",
        "eu.gcr.io": "registry",
        "ghcr.io": "registry",
        "quay.io": "registry",
        "public.ecr.aws": "registry",
        "mcr.microsoft.com": "registry",
        "myreg.azurecr.io": "registry",
        "nvcr.io": "registry",
        "registry.gitlab.com": "registry",
        "registry.onstackit.cloud": "registry",
        "swr.eu-de.otc.t-systems.com": "registry",
        "registry.eu-west-0.prod-cloud-ocb.orange-business.com": "registry",
    }
    for host, kind in expect.items():
        m = c.match_host(host)
        assert m is not None and m.rule.kind == kind, host


@pytest.mark.parametrize(
    ("host", "operator"),
    [
        ("docker.io", "docker"),
        ("ghcr.io", "github"),
        ("quay.io", "redhat"),
        ("registry.redhat.io", "redhat"),
        ("nvcr.io", "nvidia"),
        ("gcr.io", "google"),
        ("mcr.microsoft.com", "microsoft"),
        ("public.ecr.aws", "aws"),
        ("registry.k8s.io", "kubernetes_project"),
    ],
)
def test_registry_operators(host: str, operator: str) -> None:
    m = cat().match_host(host)
    assert m is not None and m.rule.operator == operator
    assert cat().operators[operator].parent_country == "US"


def test_openstack_auth_urls_point_at_their_cloud() -> None:
    c = cat()
    for host, provider in {
        "auth.cloud.ovh.net": "ovh",
        "api.pub2.infomaniak.cloud": "infomaniak",
        "ops.elastx.cloud": "elastx",
        "keystone.cloudferro.com": "cloudferro",
        "fra1.citycloud.com": "cleura",
        "iam.eu-de.otc.t-systems.com": "opentelekomcloud",
    }.items():
        m = c.match_host(host)
        assert m is not None and m.rule.provider == provider, host
    assert c.providers["openstack"].classify_by == ("auth_url",)


# --------------------------------------------------------------------------- kinds, provenance
UTILITIES = [
    "random",
    "null",
    "tls",
    "local",
    "time",
    "archive",
    "external",
    "cloudinit",
    "http",
    "template",
    "dns",
]


@pytest.mark.parametrize("key", UTILITIES)
def test_utility_providers(key: str) -> None:
    provider = cat().provider_by_source(f"hashicorp/{key}")
    assert provider is not None and provider.kind == "utility" and provider.operator is None
    assert provider.key == key


def test_generic_providers() -> None:
    c = cat()
    for key, attr in (("openstack", "auth_url"), ("kubernetes", "host"), ("helm", "host")):
        p = c.providers[key]
        assert p.kind == "generic" and p.operator is None and attr in p.classify_by


def test_non_eu_cloud_and_saas_providers_have_a_fix() -> None:
    c = cat()
    for p in c.providers.values():
        if p.kind in ("cloud", "saas") and p.operator:
            op = c.operators[p.operator]
            if op.exposure:
                assert p.fix, p.key


_PLACEHOLDERS = ("placeholder", "todo", "tbd", "fixme", "xxx", "lorem")


def test_every_fact_has_real_provenance() -> None:
    from sovlint.catalog.facts import facts

    for what, prov in facts(cat()):
        assert prov.source.strip(), what
        assert not any(p in prov.source.lower() for p in _PLACEHOLDERS), (what, prov.source)
        assert _dt.date.fromisoformat(prov.as_of) <= _dt.date.today(), what
        assert isinstance(prov.verified, bool)


def test_every_operator_is_used_or_documented() -> None:
    c = cat()
    used = {p.operator for p in c.providers.values()}
    used |= {v.operator for p in c.providers.values() for v in p.variants}
    used |= {g.operator for p in c.providers.values() for g in p.region_groups}
    used |= {h.operator for h in c.hosts}
    # bleu has no Terraform provider nor known host yet (research section 3-c)
    assert set(c.operators) - used <= {"bleu"}


def _hosts_of_patterns(catalog: Catalog) -> list[str]:
    """Hosts each host rule's pattern matches (placeholders filled), and near misses."""
    out: list[str] = []
    for rule in catalog.hosts:
        base = rule.pattern.lower().replace("*.", "a1.").replace("*", "x")
        base = re.sub(r"\{[a-z_]+\}", "eu-west-3", base)
        out += [base, "deep." + base, base + ".evil.example", base.split(".", 1)[-1]]
    return [*out, "localhost", "com", "io", "a.b.c.d.e", "x.amazonaws.com.cn"]


def _with_synthetic_hosts(catalog: Catalog) -> Catalog:
    """The catalog plus rules whose literal end is one label or none (the bundled data has
    few): the index must try them for every host they can match."""
    import dataclasses

    from sovlint.catalog.load_hosts import host_regex

    template = catalog.hosts[0]
    extra = []
    for pattern in ("*.{region}.io", "{region}.*", "*.eu-west-3.*", "x*.com", "*"):
        regex, specificity = host_regex(pattern)
        extra.append(dataclasses.replace(template, pattern=pattern, regex=regex,
                                         specificity=specificity))  # fmt: skip
    out = dataclasses.replace(catalog, hosts=[*catalog.hosts, *extra])
    out.index()
    return out


def test_host_index_finds_what_trying_every_rule_finds() -> None:
    """The suffix index of host rules only narrows which rules a host is tried against: the
    first rule (most specific first) that matches is the one trying all of them finds."""
    catalog = _with_synthetic_hosts(load_catalog())
    hosts = _hosts_of_patterns(catalog)
    assert len(hosts) > 400
    matched = 0
    for host in hosts:
        expected = next((r for r in catalog.hosts if r.regex.match(host.lower())), None)
        found = catalog.match_host(host)
        assert (found.rule if found else None) is expected, host
        matched += expected is not None
    assert matched > 200
