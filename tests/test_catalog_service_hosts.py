"""Hosts that embed a region after the service's own labels are read by the catalog's
per-service patterns (policies/hosts.yaml), never by the generic `*.{region}.amazonaws.com`
one, which would take the service label (`rds`, `es`) for the region (#12 item 7)."""

from __future__ import annotations

import functools

import pytest

from sovlint.catalog.load import load_catalog
from sovlint.catalog.model import Catalog


@functools.lru_cache(maxsize=1)
def cat() -> Catalog:
    return load_catalog()


@pytest.mark.parametrize(
    ("host", "pattern", "region", "country"),
    [
        # RDS instance and Aurora cluster endpoints
        (
            "x.c9akciq32lpr.eu-west-3.rds.amazonaws.com",
            "*.{region}.rds.amazonaws.com",
            "eu-west-3",
            "FR",
        ),
        (
            "db.cluster-ro-c9akciq32lpr.us-east-1.rds.amazonaws.com",
            "*.{region}.rds.amazonaws.com",
            "us-east-1",
            "US",
        ),
        # OpenSearch / Elasticsearch domains (public and VPC) and Serverless collections
        (
            "search-x-abc.eu-west-1.es.amazonaws.com",
            "*.{region}.es.amazonaws.com",
            "eu-west-1",
            "IE",
        ),
        (
            "vpc-logs-abc123.eu-central-1.es.amazonaws.com",
            "*.{region}.es.amazonaws.com",
            "eu-central-1",
            "DE",
        ),
        (
            "1tg2xudton46knx2a95g.us-east-1.aoss.amazonaws.com",
            "*.{region}.aoss.amazonaws.com",
            "us-east-1",
            "US",
        ),
        # MSK brokers: the region follows `kafka`
        (
            "b-1.x.abc.c2.kafka.eu-west-1.amazonaws.com",
            "*.kafka.{region}.amazonaws.com",
            "eu-west-1",
            "IE",
        ),
        # Elastic Load Balancing DNS names
        (
            "my-lb-1234567890.eu-west-3.elb.amazonaws.com",
            "*.{region}.elb.amazonaws.com",
            "eu-west-3",
            "FR",
        ),
        # EKS API servers
        (
            "abcdef.gr7.eu-west-3.eks.amazonaws.com",
            "*.{region}.eks.amazonaws.com",
            "eu-west-3",
            "FR",
        ),
    ],
)
def test_service_host_region(host: str, pattern: str, region: str, country: str) -> None:
    m = cat().match_host(host)
    assert m is not None, host
    assert (m.rule.pattern, m.rule.operator, m.region, m.country) == (
        pattern,
        "aws",
        region,
        country,
    )


@pytest.mark.parametrize(
    "host",
    [
        "x.abc.0001.euw1.cache.amazonaws.com",
        "x.abc.ng.0001.use1.cache.amazonaws.com",
        "myclustername.xxxxxx.cfg.usw2.cache.amazonaws.com",
    ],
)
def test_elasticache_short_region_code_is_aws_but_no_place(host: str) -> None:
    """AWS documents the host form (`usw2`) but publishes no table from short codes to
    regions: the operator is known, the region is not (reported, never guessed)."""
    m = cat().match_host(host)
    assert m is not None and m.rule.operator == "aws"
    assert m.region is None and m.country is None


def test_a_service_label_is_never_read_as_a_region() -> None:
    """Without the per-service rules the generic rule read `rds` as the region: a new
    service label in that position must stay an unknown region, not become a place."""
    for host in (
        "x.c9akciq32lpr.eu-west-3.rds.amazonaws.com",
        "search-x-abc.eu-west-1.es.amazonaws.com",
        "my-lb-1.us-east-1.elb.amazonaws.com",
    ):
        m = cat().match_host(host)
        assert m is not None and m.region not in {"rds", "es", "elb"}
    generic = cat().match_host("x.eu-west-3.unknownsvc.amazonaws.com")
    assert generic is not None and generic.region == "unknownsvc" and generic.country is None


def test_service_host_rules_cite_the_service_documentation() -> None:
    for rule in cat().hosts:
        if rule.pattern.endswith(
            (".rds.amazonaws.com", ".es.amazonaws.com", ".cache.amazonaws.com")
        ):
            assert rule.provenance.source.startswith("https://docs.aws.amazon.com/"), rule.pattern
