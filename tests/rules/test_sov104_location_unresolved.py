from __future__ import annotations

from pathlib import Path

from sovtest import FIXTURES, assert_case, run_scan


def test_unresolvable_expressions_and_environment() -> None:
    result = assert_case(FIXTURES / "terraform" / "sov104-unresolved", "residency-eu")
    messages = {f.address: f.message for f in result.findings}
    assert messages["provider.scaleway"] == (
        "region = var.region: cannot be evaluated statically: "
        "variable 'region' has no value (no default, not in a tfvars file)"
    )
    fixes = {f.address: f.fix for f in result.findings}
    assert "--var-file" in fixes["provider.scaleway"]
    assert "lookup(" in messages["scaleway_object_bucket.data"]
    assert "AWS_REGION" in messages["provider.aws.env"]


def test_null_location_means_not_set(tmp_path: Path) -> None:
    # AWS provider v6 style: every resource takes `region = var.region`, default null.
    (tmp_path / "main.tf").write_text(
        'variable "region" {\n  default = null\n}\n'
        'provider "aws" {\n  region = "eu-west-3"\n}\n'
        'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n  region = var.region\n}\n'
    )
    result = run_scan(tmp_path, "residency-eu")
    assert result.findings == []
    (item,) = [i for i in result.inventory if i.address == "aws_s3_bucket.b"]
    assert (item.region, item.country) == ("eu-west-3", "FR")  # the provider's location applies
    (tmp_path / "terraform.tfvars").write_text('region = "us-east-1"\n')
    (f,) = run_scan(tmp_path, "residency-eu").findings
    assert (f.rule_id, f.address, f.country) == ("SOV102", "aws_s3_bucket.b", "US")


def test_kubernetes_unwritten_places() -> None:
    result = assert_case(FIXTURES / "kubernetes" / "sov104-kubernetes-unwritten", "sovereign-eu")
    by_address = {f.address: f for f in result.findings}
    image = by_address["Deployment/shop/web/containers/web"]
    assert "${WEB_IMAGE} is not a literal" in image.message and "--render" in image.fix
    storage = by_address["StorageClass/sbs"]
    assert storage.operator is not None and storage.country is None
    assert "cluster's region" in storage.message and "sovlint.io/ignore: SOV104" in storage.fix


def test_a_written_region_is_judged_not_unresolved() -> None:
    """A Crossplane resource that writes its region: SOV204 judges that place, no SOV104."""
    result = assert_case(FIXTURES / "kubernetes" / "sov103-kubernetes-pass", "residency-eu")
    assert result.findings == []
    items = {i.address: i.verdict.value for i in result.inventory}
    assert items["Bucket/exports"] == "sovereign"
