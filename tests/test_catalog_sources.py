"""Every bundled catalog fact cites a public URL a user can open (docs/catalog.md)."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from sovlint.catalog.facts import facts, stale
from sovlint.catalog.load import CatalogError, load_catalog
from sovlint.catalog.model import Catalog
from sovlint.catalog.sources import source_problem, urls


@functools.lru_cache(maxsize=1)
def cat() -> Catalog:
    return load_catalog()


def test_every_fact_cites_a_public_url() -> None:
    bad = [
        (label, p.source, f"{p.file}:{p.line}")
        for label, p in facts(cat())
        if source_problem(p.source) is not None or not urls(p.source)
    ]
    assert not bad, bad[:10]


def test_no_fact_cites_the_internal_research_notes() -> None:
    assert not [label for label, p in facts(cat()) if "research" in p.source.lower()]


def test_facts_cover_every_kind_of_entry() -> None:
    labels = [label.split(" ", 1)[0] for label, _ in facts(cat())]
    for kind in ("law", "operator", "provider", "host", "backend", "kubernetes"):
        assert kind in labels


@pytest.mark.parametrize(
    "source",
    [
        "https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html",
        "https://github.com/boto/botocore/blob/develop/botocore/data/endpoints.json (partition aws)",
        "https://a.example.org/x (note; with a semicolon); https://b.example.org/",
    ],
)
def test_public_sources_are_accepted(source: str) -> None:
    assert source_problem(source) is None


@pytest.mark.parametrize(
    "source",
    [
        "shared/research/catalog.md section 1.1",
        "https://docs.example.org/x; shared/research/catalog.md section 2",
        "aws/aws-sdk-js-v3 partitions.json",
        "http://insecure.example.org/page",
        "https://docs.example.org/x trailing words",
        "file:///etc/passwd",
    ],
)
def test_non_public_sources_are_refused(source: str) -> None:
    assert source_problem(source) is not None


def _catalog_copy(tmp_path: Path, old: str, new: str, file: str = "laws.yaml") -> Path:
    import shutil

    from sovlint.catalog.load import policies_dir

    root = tmp_path / "policies"
    shutil.copytree(policies_dir(), root)
    target = root / file
    text = target.read_text()
    assert old in text
    target.write_text(text.replace(old, new, 1))
    return root


def test_loader_refuses_a_bundled_source_without_url(tmp_path: Path) -> None:
    root = _catalog_copy(
        tmp_path,
        "source: https://www.legislation.gov.uk/ukpga/2016/25/contents",
        "source: an internal memo",
    )
    with pytest.raises(CatalogError, match="not a public https:// URL"):
        load_catalog(root)


def test_review_dates_are_validated_and_reported_when_past(tmp_path: Path) -> None:
    root = _catalog_copy(
        tmp_path,
        "source: https://www.legislation.gov.uk/ukpga/2016/25/contents",
        "source: https://www.legislation.gov.uk/ukpga/2016/25/contents\n    review_by: 2020-01-01",
    )
    catalog = load_catalog(root)
    due = {label: date for label, _p, date in stale(catalog, "2026-12-01")}
    assert due.get("law uk_ipa") == "2020-01-01"
    assert "law uk_ipa" not in {label for label, _p, _d in stale(catalog, "2019-12-31")}
    bad = _catalog_copy(
        tmp_path / "bad",
        "source: https://www.legislation.gov.uk/ukpga/2016/25/contents",
        "source: https://www.legislation.gov.uk/ukpga/2016/25/contents\n    valid_until: soon",
    )
    with pytest.raises(CatalogError, match="valid_until must be a date"):
        load_catalog(bad)


def test_check_stale_cli_reports_facts_past_review() -> None:
    from sovtest import run_cli

    proc = run_cli(["catalog", "check", "--stale", "--today", "2027-06-01"])
    assert proc.returncode == 1, proc.stdout
    assert "law fisa702: due 2027-01-31" in proc.stdout
    assert "verified against a primary source" in proc.stdout
    proc = run_cli(["catalog", "check", "--stale", "--today", "2026-12-01"])
    assert proc.returncode == 0, proc.stdout
    bad = run_cli(["catalog", "check", "--stale", "--today", "tomorrow"])
    assert bad.returncode == 2 and "--today must be a date" in bad.stderr
