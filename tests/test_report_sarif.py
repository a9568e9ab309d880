"""SARIF 2.1.0: valid against the official schema, rules from the registry, repository-relative
URIs under %SRCROOT%, fingerprints that survive line shifts, suppressions carried along."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from reporthelp import AWS_BUCKET, finding, report_for, report_of, sovlint
from sovlint.baseline import Baseline, apply_baseline, collect
from sovlint.reporters.sarif import report_sarif
from sovlint.rules import REGISTRY
from sovtest import FIXTURES

jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is in the test extras")

SCHEMA = Path(__file__).resolve().parents[2] / "shared/schemas/sarif-schema-2.1.0.json"
TF = FIXTURES / "terraform"


def validate(doc: dict[str, Any]) -> None:
    if not SCHEMA.is_file():
        pytest.skip(f"official SARIF schema not found at {SCHEMA} (shared/ is not beside the repo)")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:10]
    )


def run_of(doc: dict[str, Any]) -> dict[str, Any]:
    assert doc["version"] == "2.1.0"
    assert len(doc["runs"]) == 1
    run: dict[str, Any] = doc["runs"][0]
    return run


@pytest.mark.parametrize(
    "case",
    [
        TF / "sov100-aws-eu-west-3",
        TF / "suppression",
        TF / "sov001-broken-next-to-valid",
        TF / "sov203-egress",
        TF / "pass-scaleway-fr-par",
        TF / "modules" / "shared-by-examples",
        FIXTURES / "demo",
    ],
    ids=lambda p: p.name,
)
def test_valid_against_official_schema(case: Path) -> None:
    report = report_for(case)
    doc = report_sarif(report)
    validate(doc)
    # what the schema cannot see: every finding is one result, in order, on its rule
    run = run_of(doc)
    results = run["results"]
    assert [r["ruleId"] for r in results] == [f.rule_id for f in report.result.findings]
    rules = run["tool"]["driver"]["rules"]
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]


def test_clean_scan_is_a_valid_empty_run() -> None:
    doc = report_sarif(report_for(TF / "pass-scaleway-fr-par"))
    validate(doc)
    assert run_of(doc)["results"] == []


def test_rules_come_from_the_registry_with_help() -> None:
    run = run_of(report_sarif(report_for(TF / "sov100-aws-eu-west-3")))
    driver = run["tool"]["driver"]
    assert driver["name"] == "sovlint"
    rules = {r["id"]: r for r in driver["rules"]}
    assert list(rules) == list(REGISTRY)
    for rule_id, registered in REGISTRY.items():
        meta = registered.meta
        rule = rules[rule_id]
        assert rule["name"] == meta.name
        assert rule["helpUri"] == meta.help_uri
        assert rule["shortDescription"]["text"] == meta.title
        assert meta.rationale in rule["help"]["text"]
        assert meta.fix in rule["help"]["text"]
        assert meta.fix in rule["help"]["markdown"]
        sev = float(rule["properties"]["security-severity"])
        assert 0.0 < sev <= 10.0
    # severity order is kept: high > medium > low
    assert float(rules["SOV101"]["properties"]["security-severity"]) > float(
        rules["SOV103"]["properties"]["security-severity"]
    )
    assert float(rules["SOV103"]["properties"]["security-severity"]) > float(
        rules["SOV104"]["properties"]["security-severity"]
    )
    assert run["automationDetails"]["id"] == "sovlint/sovereign-eu/"


def test_uris_are_repository_relative_under_srcroot(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()  # the repository root
    module = tmp_path / "infra" / "prod"
    module.mkdir(parents=True)
    (module / "main.tf").write_text(AWS_BUCKET)
    doc = report_sarif(report_for(module))  # run from inside the module, as `cd infra/prod`
    validate(doc)
    run = run_of(doc)
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == tmp_path.resolve().as_uri() + "/"
    locations = [r["locations"][0]["physicalLocation"] for r in run["results"]]
    assert len(locations) == 2
    for loc in locations:
        assert loc["artifactLocation"] == {"uri": "infra/prod/main.tf", "uriBaseId": "%SRCROOT%"}
    assert [loc["region"]["startLine"] for loc in locations] == [1, 5]


def fingerprints(doc: dict[str, Any]) -> dict[tuple[str, str], str]:
    out = {}
    for r in run_of(doc)["results"]:
        address = r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
        out[(r["ruleId"], address)] = r["partialFingerprints"]["sovlint/v1"]
    return out


def lines(doc: dict[str, Any]) -> dict[tuple[str, str], int]:
    out = {}
    for r in run_of(doc)["results"]:
        loc = r["locations"][0]
        address = loc["logicalLocations"][0]["fullyQualifiedName"]
        out[(r["ruleId"], address)] = loc["physicalLocation"]["region"]["startLine"]
    return out


def test_fingerprints_survive_line_shifts(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(AWS_BUCKET)
    before = report_sarif(report_for(tmp_path))
    (tmp_path / "main.tf").write_text("# moved down\n\n\n" + AWS_BUCKET + "\n# trailing\n")
    after = report_sarif(report_for(tmp_path))
    assert set(fingerprints(before)) == {
        ("SOV100", "provider.aws"),
        ("SOV101", "aws_s3_bucket.this"),
    }
    assert fingerprints(before) == fingerprints(after)
    assert {k: v + 3 for k, v in lines(before).items()} == lines(after)
    assert len(set(fingerprints(before).values())) == 2


def test_fingerprints_differ_by_file_and_repeat_stays_unique(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "main.tf").write_text(AWS_BUCKET)
    doc = report_sarif(report_for(tmp_path))
    prints = [r["partialFingerprints"]["sovlint/v1"] for r in run_of(doc)["results"]]
    assert len(prints) == 4
    assert len(set(prints)) == 4  # same address and rule in two files: two identities
    # several findings of one rule on one address (SOV203 on three env values) stay distinct
    egress = report_sarif(report_for(TF / "sov203-egress"))
    sov203 = [r for r in run_of(egress)["results"] if r["ruleId"] == "SOV203"]
    by_address: dict[str, list[str]] = {}
    for r in sov203:
        address = r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
        by_address.setdefault(address, []).append(r["partialFingerprints"]["sovlint/v1"])
    assert any(len(v) > 1 for v in by_address.values())
    for values in by_address.values():
        assert len(set(values)) == len(values)


def test_suppressions_in_source_and_from_baseline(tmp_path: Path) -> None:
    doc = report_sarif(report_for(TF / "suppression"))
    validate(doc)
    results = run_of(doc)["results"]
    suppressed = [r for r in results if "suppressions" in r]
    assert {r["ruleId"] for r in suppressed} == {"SOV100", "SOV101", "SOV102"}
    for r in suppressed:
        (sup,) = r["suppressions"]
        assert sup["kind"] == "inSource"
        assert sup["justification"] in (
            "legacy account, migration ticket OPS-42",
            "public website assets only",
        )
    # the expired and the unknown-id suppressions suppress nothing
    assert any(r["ruleId"] == "SOV101" and "suppressions" not in r for r in results)

    (tmp_path / "main.tf").write_text(AWS_BUCKET)
    report = report_for(tmp_path)
    baseline = collect(report.result.findings, tmp_path)
    baseline = Baseline(baseline.entries, ".sovlint-baseline.json")
    assert apply_baseline(report.result.findings, baseline, tmp_path) == 2
    doc = report_sarif(report)
    validate(doc)
    for r in run_of(doc)["results"]:
        assert r["suppressions"] == [
            {
                "kind": "external",
                "status": "accepted",
                "justification": "in baseline .sovlint-baseline.json",
            }
        ]


def test_file_outside_the_root_gets_an_absolute_uri(tmp_path: Path) -> None:
    inside = tmp_path / "repo"
    (inside / ".git").mkdir(parents=True)
    outside = tmp_path / "elsewhere" / "main.tf"
    report = report_of([finding(file=outside.as_posix())], [outside.as_posix()], inside)
    doc = report_sarif(report)
    validate(doc)
    loc = run_of(doc)["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert loc == {"uri": outside.as_uri()}


def test_cli_writes_sarif_next_to_text_on_stdout(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    subprocess.run(["git", "init", "-q", str(work)], check=True)
    (work / "main.tf").write_text(AWS_BUCKET)
    out = tmp_path / "out" / "sovlint.sarif"
    out.parent.mkdir()
    proc = sovlint(["scan", ".", "-f", "text", "-f", "sarif", "-o", str(out)], work)
    assert proc.returncode == 1, proc.stderr
    assert "main.tf:5:1: SOV101" in proc.stdout
    doc = json.loads(out.read_text(encoding="utf-8"))
    validate(doc)
    assert [r["ruleId"] for r in run_of(doc)["results"]] == ["SOV100", "SOV101"]
    assert sorted(p.name for p in out.parent.iterdir()) == ["sovlint.sarif"]
