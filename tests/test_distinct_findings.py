"""One finding per distinct fact: no two findings of any report are identical, and a module
reached from several roots lists its callers instead of repeating itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reporthelp import report_for
from sovlint.reporters import renderer
from sovtest import FIXTURES

SHARED = FIXTURES / "terraform" / "modules" / "shared-by-examples"


@pytest.mark.parametrize(
    "tree",
    [FIXTURES / "terraform", FIXTURES / "kubernetes", FIXTURES / "demo"],
    ids=lambda p: p.name,
)
def test_no_two_findings_are_identical(tree: Path) -> None:
    report = report_for(tree)
    findings = json.loads(renderer("json")(report, False))["findings"]
    seen = [json.dumps(f, sort_keys=True) for f in findings]
    assert findings and len(set(seen)) == len(seen)
    sarif = json.loads(renderer("sarif")(report, False))["runs"][0]["results"]
    assert len(sarif) == len(findings)
    fingerprints = [json.dumps(r["partialFingerprints"], sort_keys=True) for r in sarif]
    gitlab = json.loads(renderer("gitlab")(report, False))
    assert len({i["fingerprint"] for i in gitlab}) == len(gitlab)
    assert fingerprints  # SARIF keeps one result per finding (alerts stay stable)


def test_a_shared_module_lists_its_callers() -> None:
    report = report_for(SHARED)
    shared = [f for f in report.result.findings if f.file == "main.tf"]
    assert [(f.country, f.callers) for f in shared] == [
        ("FR", ("examples/complete", "examples/simple")),
        ("US", ("examples/us-east",)),
    ]
    own = [f for f in report.result.findings if f.file != "main.tf"]
    assert all(f.callers == () for f in own)
    assert [i.address for i in report.result.inventory].count(
        "module.bucket.aws_s3_bucket.this"
    ) == 2  # one bill-of-materials line per distinct fact too
    text = renderer("text")(report, False)
    assert "via examples/complete, examples/simple" in text
