"""JSON plans and state: precise verdicts where the configuration alone is unresolved."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sovlint.frontends.terraform.plan import looks_like_plan, strip_instance_keys
from sovtest import FIXTURES, ROOT, run_scan

PLANS = FIXTURES / "terraform" / "plans"


def test_plan_resolves_what_the_configuration_cannot() -> None:
    case = PLANS / "variable-region"
    from_source = run_scan(case / "src", "residency-eu")
    assert [(f.rule_id, f.address) for f in from_source.findings] == [("SOV104", "provider.aws")]
    from_plan = run_scan(case, "residency-eu", paths=[case / "plan.json"], source=case / "src")
    (f,) = from_plan.findings
    assert (f.rule_id, f.file, f.line, f.region, f.country) == (
        "SOV102",
        "src/main.tf",
        13,
        "us-west-2",
        "US",
    )
    assert "plan variable 'region'" in f.message


def test_without_source_findings_point_into_the_plan() -> None:
    case = PLANS / "variable-region"
    (f,) = run_scan(case, "residency-eu", paths=[case / "plan.json"]).findings
    assert (f.file, f.line) == ("plan.json", 29)  # the provider_config region expression


def test_backend_comes_from_source() -> None:
    case = PLANS / "s3-backend-sovereign"
    inventory = run_scan(case, paths=[case / "plan.json"], source=case / "src").inventory
    backends = [i for i in inventory if i.kind == "backend"]
    assert [(b.address, b.operator, b.country, b.verdict.value) for b in backends] == [
        ("terraform.backend.s3", "Scaleway SAS", "FR", "sovereign")
    ]
    assert not [
        i for i in run_scan(case, paths=[case / "plan.json"]).inventory if i.kind == "backend"
    ]


def test_instances_keep_their_keys() -> None:
    case = PLANS / "multi-provider"
    inventory = {i.address: i for i in run_scan(case, paths=[case / "plan.json"]).inventory}
    assert inventory['scaleway_object_bucket.data["archive"]'].country == "PL"
    assert inventory["aws_s3_bucket.logs[1]"].country == "US"
    assert inventory["module.eu.aws_sqs_queue.jobs"].country == "FR"


@pytest.mark.parametrize(
    ("address", "config"),
    [
        ("aws_s3_bucket.b[0]", "aws_s3_bucket.b"),
        ('module.a["x"].module.b[2].aws_s3_bucket.c["k.y"]', "module.a.module.b.aws_s3_bucket.c"),
    ],
)
def test_strip_instance_keys(address: str, config: str) -> None:
    assert strip_instance_keys(address) == config


def test_plan_detection() -> None:
    assert looks_like_plan((PLANS / "state" / "state.json").read_text())
    assert not looks_like_plan('{"apiVersion": "v1", "kind": "ConfigMap"}')
    assert not looks_like_plan('{"format_version": "1.0"}')


def test_unsupported_or_broken_plan_is_sov001(tmp_path: Path) -> None:
    (tmp_path / "plan.json").write_text('{"format_version": "2.0", "planned_values": {}}')
    (f,) = run_scan(tmp_path).findings
    assert (f.rule_id, f.file) == ("SOV001", "plan.json")
    assert "format_version" in f.message
    (tmp_path / "plan.json").write_text('{"format_version": "1.2", "planned_values": {\n')
    (f,) = run_scan(tmp_path).findings
    assert f.rule_id == "SOV001" and f.line == 2


def test_cli_plan_with_source(tmp_path: Path) -> None:
    case = PLANS / "variable-region"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    cmd = [
        sys.executable,
        "-m",
        "sovlint",
        "scan",
        "plan.json",
        "--source",
        "src",
        "-p",
        "residency-eu",
        "-f",
        "json",
    ]
    proc = subprocess.run(cmd, cwd=case, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    finding = json.loads(proc.stdout)["findings"][0]
    assert (finding["file"], finding["line"], finding["country"]) == ("src/main.tf", 13, "US")
    bad = subprocess.run(
        [*cmd[:5], "--source", "nope"],
        cwd=case,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2 and "--source must be a directory" in bad.stderr
