"""`--format html`: valid HTML5, self-contained (nothing to fetch), accessible and printable;
rendered in a real headless browser with no console error and no network request."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from browser import find_browser, render
from reporthelp import report_for
from sovlint.reporters import Report, renderer
from sovtest import FIXTURES, ROOT, catalog, run_cli

html5lib = pytest.importorskip("html5lib", reason="html5lib is in the test extras")

DEMO = FIXTURES / "demo"
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="module")
def demo() -> Report:
    return dataclasses.replace(report_for(DEMO), catalog=catalog())


@pytest.fixture(scope="module")
def page(demo: Report) -> str:
    return renderer("html")(demo, False)


def test_is_valid_html5(page: str) -> None:
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(page)  # strict: raises on any parse error
    assert not parser.errors


def test_is_self_contained(page: str) -> None:
    assert "<script" not in page and "<link" not in page and "<img" not in page
    assert not re.search(r"\bsrc=", page)
    assert "@import" not in page and "url(" not in page
    assert "default-src 'none'" in page  # the CSP forbids any load the markup might add


def test_is_accessible_and_printable(page: str) -> None:
    assert page.count("<h1") == 1 and '<html lang="en">' in page
    tables = page.count("<table")
    assert tables == page.count("<caption>") and '<th scope="col">' in page
    charts = page.count("<svg")
    assert charts == 4 and page.count('role="img"') == charts
    assert page.count("<title id=") == charts and page.count("<desc id=") == charts
    assert "@media print" in page


def test_shows_every_operator_of_the_inventory(demo: Report, page: str) -> None:
    import html

    operators = {i.operator for i in demo.result.inventory if i.operator}
    assert len(operators) >= 5
    for name in operators:
        assert html.escape(name) in page


def test_sections_a_dpo_needs(page: str) -> None:
    for heading in ("Sovereignty bill of materials", "Exceptions register", "Effective configuration",
                    "Sovereign alternatives", "At a glance", "Findings"):  # fmt: skip
        assert f">{heading}</h2>" in page
    assert "Catalog facts as of" in page and "registry.terraform.io" in page


def test_exceptions_register_lists_reason_and_expiry() -> None:
    report = report_for(FIXTURES / "terraform" / "suppression")
    page = renderer("html")(report, False)
    assert "legacy account, migration ticket OPS-42" in page and "sovlint:ignore comment" in page


def test_compare_shows_what_changed(tmp_path: Path) -> None:
    old = tmp_path / "old.json"
    platform = DEMO / "platform"
    assert (
        run_cli(
            ["scan", ".", "-f", "json", "-o", str(old), "--select", "SOV100"], platform
        ).returncode
        == 1
    )
    out = tmp_path / "r.html"
    proc = run_cli(["scan", ".", "-f", "html", "-o", str(out), "--compare", str(old)], platform)
    assert proc.returncode == 1, proc.stderr
    text = out.read_text()
    assert "Changes since the earlier report" in text
    new = json.loads(old.read_text())["summary"]["findings"]
    assert f"the earlier report had {new} open findings" in text
    bad = run_cli(["scan", ".", "-f", "html", "--compare", str(out)], platform)
    assert bad.returncode == 2 and "--compare needs a sovlint JSON report" in bad.stderr


BROWSER = find_browser()
needs_browser = pytest.mark.skipif(
    BROWSER is None, reason="no chromium on PATH (.ci/run installs Debian's chromium)"
)


@needs_browser
def test_the_probe_sees_requests_and_console_errors(tmp_path: Path) -> None:
    """The browser check can fail: a page that fetches and logs is caught."""
    assert BROWSER is not None
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><title>x</title><img src="http://example.invalid/x.png">'
                   '<script>console.error("broken")</script>')  # fmt: skip
    seen = render(BROWSER, bad, tmp_path / "work", tmp_path / "bad.png", 400)
    assert "http://example.invalid/x.png" in seen.requests
    assert any("broken" in line for line in seen.console)


@needs_browser
def test_renders_in_a_real_browser_offline(page: str, tmp_path: Path) -> None:
    assert BROWSER is not None
    report = tmp_path / "demo-report.html"
    report.write_text(page, encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "html-report-demo.png"
    seen = render(BROWSER, report, tmp_path / "work", shot)
    assert seen.console == []
    assert seen.requests == []
    assert shot.stat().st_size > 20_000  # a rendered page, not a blank one


def test_register_lists_baseline_entries_and_stale_ones(tmp_path: Path) -> None:
    import shutil
    import subprocess

    repo = tmp_path / "repo"
    shutil.copytree(DEMO / "platform", repo)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    base = tmp_path / "baseline.json"
    assert run_cli(["scan", ".", "--write-baseline", str(base), "--no-cache"], repo).returncode == 0
    main = repo / "main.tf"
    main.write_text(
        main.read_text().replace('"datadog_monitor" "api_latency"', '"datadog_monitor" "renamed"')
    )
    out = tmp_path / "r.html"
    run_cli(
        ["scan", ".", "--baseline", str(base), "-f", "html", "-o", str(out), "--no-cache"], repo
    )
    page = out.read_text()
    assert page.count("baseline file") >= 4  # the accepted findings, by the baseline
    assert "datadog_monitor.api_latency" in page and "no longer found (fixed or moved)" in page
