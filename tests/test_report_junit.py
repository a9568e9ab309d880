"""JUnit XML: testsuites/testsuite/testcase/failure, one testcase per finding, suites per file."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from reporthelp import finding, report_for, report_of, sovlint
from sovlint.reporters.junit import render
from sovlint.srcroot import find_root, repo_relative
from sovtest import FIXTURES

TF = FIXTURES / "terraform"


def under(prefix: str, path: str) -> str:
    return path if prefix == "." else f"{prefix}/{path}"


def parse(text: str) -> ET.Element:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(text.encode("utf-8"))


def test_shape_one_testcase_per_finding_and_suites_per_file() -> None:
    demo = FIXTURES / "demo"
    report = report_for(demo)
    prefix = repo_relative(".", demo, find_root(demo))  # "fixtures/demo" in a git checkout
    assert prefix is not None
    root = parse(render(report))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    names = [s.get("name") for s in suites]
    assert names == sorted(names)
    assert set(names) == {under(prefix, f) for f in report.result.files}
    failures = root.findall("testsuite/testcase/failure")
    active = [f for f in report.result.findings if not f.suppressed]
    assert len(failures) == len(active) > 0
    for suite in suites:
        cases = suite.findall("testcase")
        assert int(suite.get("tests", "-1")) == len(cases)
        assert int(suite.get("failures", "-1")) == len(suite.findall("testcase/failure"))
        assert suite.get("errors") == "0"
    main_tf = under(prefix, "platform/main.tf")
    main = next(s for s in suites if s.get("name") == main_tf)
    in_main = [f for f in active if f.file == "platform/main.tf"]
    for case, f in zip(main.findall("testcase"), in_main, strict=True):
        assert case.get("name") == f"{f.rule_id} {f.address}"
        assert case.get("classname") == main_tf
        assert case.get("line") == str(f.line)
        failure = case.find("failure")
        assert failure is not None
        assert failure.get("message") == f.message
        assert failure.get("type") == f"{f.rule_id} {f.severity.label}"
        assert failure.text is not None and f"fix: {f.fix}" in failure.text
    # files without findings are passing testcases
    clean = next(s for s in suites if s.get("name", "").endswith("platform/versions.tf"))
    (case,) = clean.findall("testcase")
    assert list(case) == []
    assert int(root.get("tests", "-1")) == sum(int(s.get("tests", "0")) for s in suites)
    assert int(root.get("failures", "-1")) == len(active)


def test_suppressed_findings_are_skipped_testcases() -> None:
    report = report_for(TF / "suppression")
    root = parse(render(report))
    skipped = root.findall("testsuite/testcase/skipped")
    suppressed = [f for f in report.result.findings if f.suppressed]
    assert len(skipped) == len(suppressed) == 3
    messages = {s.get("message") for s in skipped}
    assert "suppressed: public website assets only" in messages
    assert int(root.get("skipped", "-1")) == 3
    assert int(root.get("failures", "-1")) == len(report.result.findings) - 3


def test_clean_scan_is_a_valid_passing_document() -> None:
    root = parse(render(report_for(TF / "pass-scaleway-fr-par")))
    assert root.tag == "testsuites"
    assert root.get("failures") == "0"
    assert int(root.get("tests", "0")) >= 1
    assert root.findall("testsuite/testcase/failure") == []
    assert root.findall("testsuite/testcase")


def test_nothing_scanned_is_still_valid(tmp_path: Path) -> None:
    root = parse(render(report_for(tmp_path)))
    assert [s.get("name") for s in root.findall("testsuite")] == ["sovlint"]
    assert root.get("tests") == "1"
    assert root.get("failures") == "0"


def test_text_xml_cannot_carry_is_replaced_not_fatal(tmp_path: Path) -> None:
    hostile = 'bad \x01 char <tag> & "quote" ]]> done'
    report = report_of([finding(message=hostile, address="x.y")], ["main.tf"], tmp_path)
    root = parse(render(report))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == 'bad \ufffd char <tag> & "quote" ]]> done'


def test_cli_junit_output_file(tmp_path: Path) -> None:
    out = tmp_path / "junit.xml"
    proc = sovlint(
        ["scan", ".", "--format", "junit", "--output", str(out)], TF / "sov102-hetzner-ash"
    )
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == ""
    root = parse(out.read_text(encoding="utf-8"))
    (failure,) = root.findall("testsuite/testcase/failure")
    assert failure.get("type") == "SOV102 high"
