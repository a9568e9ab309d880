"""Module calls: inputs, provider inheritance and remapping, remote modules, cycles."""

from __future__ import annotations

from pathlib import Path

from sovtest import FIXTURES, assert_case, run_scan

MODULES = FIXTURES / "terraform" / "modules"


def test_region_flows_from_root_tfvars_through_two_levels() -> None:
    result = assert_case(MODULES / "nested-region", "sovereign-eu")
    by_address = {f.address: f for f in result.findings}
    grandchild = by_address["module.storage.module.disk.hcloud_volume.scratch"]
    # the message names every hop back to the value's definition
    assert (
        "argument 'location' of module.storage.module.disk at modules/storage/main.tf:17"
        in grandchild.message
    )
    assert "argument 'location' of module.storage at main.tf:16" in grandchild.message
    assert "terraform.tfvars:2" in grandchild.message
    assert grandchild.country == "US"


def test_child_modules_are_not_scanned_alone() -> None:
    # modules/disk has a variable without default; scanned alone it would be SOV104 noise.
    result = run_scan(MODULES / "nested-region")
    assert not [f for f in result.findings if f.rule_id == "SOV104"]
    alone = run_scan(MODULES / "nested-region" / "modules" / "disk")
    assert [f.rule_id for f in alone.findings] == ["SOV104"]


def test_providers_map_and_default_inheritance() -> None:
    assert_case(MODULES / "provider-remap", "residency-eu")
    assert_case(MODULES / "provider-remap", "sovereign-eu")
    inventory = {
        i.address: i for i in run_scan(MODULES / "provider-remap", "residency-eu").inventory
    }
    assert (
        inventory["module.primary.aws_s3_bucket.primary"].region,
        inventory["module.primary.aws_s3_bucket.primary"].country,
    ) == ("eu-central-1", "DE")
    assert inventory["module.replica.aws_s3_bucket.replica"].country == "US"  # aws = aws.us
    assert inventory["module.replica.aws_s3_bucket.west"].country == "DE"  # aws.west = aws
    assert inventory["module.replica.aws_s3_bucket.replica"].verdict.value == "not_sovereign"
    assert inventory["provider.aws.us"].verdict.value == "not_sovereign"


def test_remote_module_from_modules_json() -> None:
    assert_case(MODULES / "remote-initialised", "sovereign-eu")
    inventory = {i.address: i for i in run_scan(MODULES / "remote-initialised").inventory}
    assert (
        inventory["module.bucket.scaleway_object_bucket.this"].country == "PL"
    )  # region from the caller


def test_unresolved_modules_and_cycles() -> None:
    result = assert_case(MODULES / "missing", "sovereign-eu")
    messages = {f.address: f.message for f in result.findings if f.rule_id == "SOV107"}
    assert "does not exist" in messages["module.network"]
    assert "terraform init" in messages["module.vpc"]
    (cycle,) = assert_case(MODULES / "cycle", "sovereign-eu").findings
    assert "module cycle: a -> b -> a" in cycle.message


def test_unknown_inputs_stay_unknown_in_the_child(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'variable "region" {}\nmodule "m" {\n  source = "./m"\n  region = var.region\n}\n'
    )
    (tmp_path / "m").mkdir()
    # The child has its own var.region default; the caller's unknown must not be replaced by it.
    (tmp_path / "m" / "main.tf").write_text(
        'variable "region" {\n  default = "fr-par"\n}\n'
        'resource "scaleway_object_bucket" "b" {\n  name   = "b"\n  region = var.region\n}\n'
    )
    # (line 4: no provider block, so the region also comes from the environment)
    (f,) = [f for f in run_scan(tmp_path).findings if f.line == 6]
    assert (f.rule_id, f.address, f.file, f.line) == (
        "SOV104",
        "module.m.scaleway_object_bucket.b",
        "m/main.tf",
        6,
    )
    assert "argument 'region' of module.m at main.tf:4" in f.message
