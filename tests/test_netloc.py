"""Host extraction (netloc): the shapes configuration is written in, comments skipped, any input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sovlint.netloc import MAX_HOST, host_of, hosts_in

CASES = [
    ("https://s3.eu-west-3.amazonaws.com/bucket", ["s3.eu-west-3.amazonaws.com"]),
    ("endpoint: s3.eu-west-3.amazonaws.com", ["s3.eu-west-3.amazonaws.com"]),
    ("  - endpoint: 's3.eu-west-3.amazonaws.com'", ["s3.eu-west-3.amazonaws.com"]),
    ("--s3-endpoint=s3.us-east-1.amazonaws.com", ["s3.us-east-1.amazonaws.com"]),
    ("--endpoint s3.us-east-1.amazonaws.com", ["s3.us-east-1.amazonaws.com"]),
    ('endpoint = "storage.googleapis.com"', ["storage.googleapis.com"]),
    ("endpoint=storage.googleapis.com:443", ["storage.googleapis.com"]),
    ("host=db.example.com port=5432 dbname=app", ["db.example.com"]),
    ("Server=tcp:srv.database.windows.net,1433;Database=app", ["srv.database.windows.net"]),
    ('{"url": "https://api.openai.com/v1"}', ["api.openai.com"]),
    ("hosts: [a.example.com, b.example.com]", ["a.example.com", "b.example.com"]),
    ("s3.amazonaws.com/bucket/key", ["s3.amazonaws.com"]),
    ("  - s3.amazonaws.com", ["s3.amazonaws.com"]),
    ("gcr.io.", ["gcr.io"]),
    ("HTTPS://API.OpenAI.com", ["api.openai.com"]),
    ("url: https://a.example.com # docs: https://docs.example.org", ["a.example.com"]),
    ("key: see https://x.example.org for it", ["x.example.org"]),
    # comment lines of embedded configs (YAML/TOML/shell/nginx, INI, C-style) are not egress
    ("# See https://github.com/org/repo", []),
    ("; url = https://a.example.com", []),
    ("// endpoint: https://b.example.com", []),
    ("    # endpoint: s3.amazonaws.com", []),
    # prose and words that are not hostnames
    ("Logs are shipped to logs.datadoghq.com daily", []),
    ("plain-words", []),
    ("1.2.3", []),
    ("", []),
    ("a..b", []),
    ("x" * 300 + ".com", []),  # longer than a DNS name can be
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_hosts_in(text: str, expected: list[str]) -> None:
    assert hosts_in(text) == expected


def test_embedded_config_reads_values_and_skips_comments() -> None:
    config = (
        "# Loki storage, see https://grafana.com/docs/loki/\n"
        "storage_config:\n"
        "  aws:\n"
        "    endpoint: s3.eu-west-3.amazonaws.com  # Paris\n"
        "    bucketnames: logs\n"
        "[sink]\n"
        "; old = https://old.example.net\n"
        'url = "https://intake.example.io/v2"\n'
        "exec /bin/agent --site=datadoghq.com\n"
    )
    assert hosts_in(config) == ["s3.eu-west-3.amazonaws.com", "intake.example.io", "datadoghq.com"]


def test_host_of_single_values() -> None:
    assert host_of("https://S3.amazonaws.com:443/x") == "s3.amazonaws.com"
    assert host_of("s3.amazonaws.com:443") == "s3.amazonaws.com"
    assert host_of("http://localhost:8080") == "localhost"
    assert host_of("localhost") is None  # a bare name needs a domain
    assert host_of("https://[::1") is None  # urlsplit's ValueError
    assert host_of("https://bad_host!/x") is None


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("a.-:/=#;, \n\"'[]{}5_xX"), max_size=200))
def test_every_host_found_is_a_valid_name_taken_from_the_text(text: str) -> None:
    for host in hosts_in(text):
        assert 0 < len(host) <= MAX_HOST
        assert host == host.lower() and host in text.lower()
        assert all(label for label in host.split("."))
