"""JUnit XML for CI test tabs (GitLab `artifacts:reports:junit`, Jenkins, Azure DevOps).

`<testsuites>` holds one `<testsuite>` per scanned file (repository-relative
path). Each finding is a `<testcase>` with a `<failure>`; a suppressed finding
is a `<testcase>` with `<skipped>`; a file without findings gets one passing
testcase, so a clean scan is still a valid, non-empty report.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from sovlint.reporters import Report
from sovlint.reporters.ci import Located, locate, scanned_paths

# Characters that XML 1.0 cannot carry at all, even escaped.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _INVALID_XML.sub("\ufffd", text)


def _details(item: Located) -> str:
    f = item.finding
    who = ", ".join(
        x
        for x in (
            f.operator,
            f"jurisdiction {f.jurisdiction}" if f.jurisdiction else None,
            f"country {f.country}" if f.country else None,
            f"region {f.region}" if f.region else None,
        )
        if x
    )
    lines = [
        f"{item.path}:{f.line}: {f.rule_id} [{f.severity.label}] {f.address}",
        f.message,
    ]
    if who:
        lines.append(f"who: {who}")
    if f.fix:
        lines.append(f"fix: {f.fix}")
    return "\n".join(lines)


def _suite(name: str, items: Iterable[Located]) -> ET.Element:
    suite = ET.Element("testsuite", name=_clean(name))
    tests = failures = skipped = 0
    for item in items:
        f = item.finding
        tests += 1
        case = ET.SubElement(
            suite,
            "testcase",
            name=_clean(f"{f.rule_id} {f.address}"),
            classname=_clean(item.path),
            file=_clean(item.path),
            line=str(f.line),
        )
        if f.suppressed:
            skipped += 1
            reason = f.suppression_reason or "(no reason given)"
            ET.SubElement(case, "skipped", message=_clean(f"suppressed: {reason}"))
        else:
            failures += 1
            failure = ET.SubElement(
                case, "failure", message=_clean(f.message), type=f"{f.rule_id} {f.severity.label}"
            )
            failure.text = _clean(_details(item))
    if tests == 0:
        tests = 1
        ET.SubElement(suite, "testcase", name="sovlint", classname=_clean(name), file=_clean(name))
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", str(skipped))
    return suite


def render(report: Report, color: bool = False) -> str:
    by_file: dict[str, list[Located]] = {path: [] for path in scanned_paths(report)}
    for item in locate(report):
        by_file.setdefault(item.path, []).append(item)
    root = ET.Element("testsuites", name=f"sovlint ({report.profile.name})")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for path in sorted(by_file):
        suite = _suite(path, by_file[path])
        root.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
    if not by_file:
        # Nothing was scanned at all: still one passing testcase, so CI shows the run.
        root.append(_suite("sovlint", []))
        totals["tests"] += 1
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("errors", "0")
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
