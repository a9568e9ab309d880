"""Values drawn from a finite, known set (refined.OneOf): random_shuffle's result (a
permutation of its input) and data sources the catalog says return every region of a group
(data.hcloud_locations). An element is one of the set, every branch judged; an unknown
index, or anything that is not an element, stays unknown."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sovlint.frontends.terraform.evaluator import Binding, Branches, Evaluator, Unknown
from sovlint.frontends.terraform.evaluator.refined import InRegion, OneOf, shuffled
from sovlint.frontends.terraform.evaluator.values import NO_INSTANCE
from sovlint.frontends.terraform.zone_lists import listed_regions
from sovlint.hclmodel import Block, Body, Expression
from sovtest import FIXTURES, catalog, run_scan


def _one_of(values: list[str]) -> OneOf:
    return OneOf("drawn when Terraform runs", options=tuple((v, f"picks {v}") for v in values))


def _value(text: str, values: list[str]) -> object:
    names = Binding(Expression("null", 1), "var l", _one_of(values))
    ev = Evaluator({"l": names}, {}, declared={"l", "i"})
    return ev.evaluate(Expression(text, 1), {"count": {"index": 1}})


def _options(value: object) -> set[object]:
    if isinstance(value, Branches):
        return {v for v, _ in value.options}
    return {value}


PICKS = [
    "var.l[0]",
    "var.l[7]",
    "var.l[count.index]",
    "element(var.l, 3)",
    "slice(var.l, 0, 2)[1]",
    "sort(var.l)[0]",
    "tolist(distinct(var.l))[0]",
    "reverse(var.l)[0]",
    "({a = var.l[0]}).a",
]


def test_an_element_is_one_of_the_set_whatever_the_index() -> None:
    values = ["fsn1", "nbg1", "ash"]
    for pick in PICKS:
        assert _options(_value(pick, values)) == set(values), pick


def test_what_is_not_an_element_stays_unknown() -> None:
    values = ["fsn1", "ash"]
    for text in ("length(var.l)", "one(var.l)", "var.l", '[for x in var.l : "${x}-dc1"][0]'):
        got = _value(text, values)
        assert isinstance(got, Unknown) and not isinstance(got, Branches), text
    # inside try()/can() the element may not exist (an empty list, an index past its end),
    # and there that error is a value: try(l[0], "z") can be "z", so nothing is assumed
    for text in (
        'try(var.l[0], "z")',
        "can(var.l[3])",
        'try(element(var.l, 0), "z")',
        'try(var.l[0] == "ash", false)',
    ):
        got = _value(text, values)
        assert isinstance(got, Unknown) and not isinstance(got, Branches), text
    # an unknown index still picks one of them; the key of an instance that does not
    # exist (count = 0 with the values given) picks nothing
    for text in ("var.l[var.i]", "element(var.l, var.i)"):
        assert _options(_value(text, values)) == set(values), text
    names = Binding(Expression("null", 1), "var l", _one_of(values))
    ev = Evaluator({"l": names}, {}, declared={"l"})
    gone = {"count": {"index": Unknown(f"the instance depends on {NO_INSTANCE}")}}
    for text in ("var.l[count.index]", "element(var.l, count.index)"):
        got = ev.evaluate(Expression(text, 1), gone)
        assert isinstance(got, Unknown) and not isinstance(got, OneOf), text


def test_a_function_of_an_element_is_computed_per_branch() -> None:
    assert _options(_value("upper(var.l[0])", ["fsn1", "ash"])) == {"FSN1", "ASH"}


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.sampled_from(["fsn1", "nbg1", "hel1", "ash", "hil", "sin"]), min_size=1),
    st.sampled_from(PICKS),
)
def test_shuffle_elements_are_exactly_the_inputs(values: list[str], pick: str) -> None:
    """random_shuffle.result[i] is one of `input`'s elements, each one possible."""
    result = shuffled("random_shuffle", "result", "random_shuffle.x", values)
    assert isinstance(result, OneOf)
    names = Binding(Expression("null", 1), "var l", result)
    ev = Evaluator({"l": names}, {}, declared={"l"})
    assert _options(ev.evaluate(Expression(pick, 1), {"count": {"index": 2}})) == set(values)


def test_shuffle_needs_a_known_input_and_keeps_zones() -> None:
    assert shuffled("random_shuffle", "result", "r", Unknown("not known")) is None
    assert shuffled("random_shuffle", "result", "r", []) is None
    assert shuffled("random_string", "result", "r", ["a"]) is None
    assert shuffled("random_shuffle", "keepers", "r", ["a"]) is None
    zones = InRegion("zones", region="europe-west1", provider="google")
    kept = shuffled("random_shuffle", "result", "random_shuffle.zone", zones)
    assert isinstance(kept, InRegion) and kept.region == "europe-west1"
    assert "random permutation" in kept.reason


def test_hcloud_locations_are_every_location_of_the_listed_group() -> None:
    entry = catalog().providers["hcloud"]
    block = Block("data", ["hcloud_locations", "all"], Body(), 1, 1)
    got = listed_regions(block, "locations", entry)
    assert isinstance(got, OneOf)
    (group,) = [g for g in entry.region_groups if "hcloud_locations" in g.listed_by]
    assert {o["name"] for o, _ in got.options} == set(group.countries)
    names = listed_regions(block, "names", entry)
    assert isinstance(names, OneOf) and {o for o, _ in names.options} == set(group.countries)
    assert listed_regions(block, "id", entry) is None
    # a catalog that does not say the data source lists every location: stays unknown
    other = catalog().providers["aws"]
    assert listed_regions(block, "locations", other) is None


def test_the_fixture_names_the_branch_that_gives_the_worst_verdict() -> None:
    result = run_scan(FIXTURES / "terraform" / "eval-listed-values", "residency-eu")
    by = {f.address: f for f in result.findings}
    server = by["hcloud_server.workers[0]"]
    assert "data.hcloud_locations.all.locations gives ash" in server.message
    assert server.country == "US" and "fsn1" in server.fix
    bucket = by["aws_s3_bucket.shuffled"]
    assert 'random_shuffle.region.result picks "us-east-1"' in bucket.message


def test_shuffled_zones_of_a_known_region_are_judged_there(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        """
provider "google" {
  project = "p"
  region  = "us-central1"
}
data "google_compute_zones" "available" {}
resource "random_shuffle" "zone" {
  input        = data.google_compute_zones.available.names
  result_count = 1
}
resource "google_compute_instance" "vm" {
  name         = "vm"
  machine_type = "e2-small"
  zone         = random_shuffle.zone.result[0]
}
resource "random_shuffle" "open" {
  input = var.zones
}
variable "zones" {
  type = list(string)
}
resource "google_compute_instance" "open" {
  name         = "open"
  machine_type = "e2-small"
  zone         = random_shuffle.open.result[0]
}
"""
    )
    result = run_scan(tmp_path, "residency-eu")
    rules = {(f.rule_id, f.address) for f in result.findings}
    assert ("SOV102", "google_compute_instance.vm") in rules
    assert ("SOV104", "google_compute_instance.open") in rules


SHUFFLED_LOCAL = """
resource "random_shuffle" "r" {
  input        = ["eu-central-1", "eu-west-1"]
  result_count = var.n
}
variable "n" {
  default = 1
}
locals {
  pick = random_shuffle.r.result[0]
}
"""
PLAIN = 'provider "aws" {\n  alias  = "plain"\n  region = local.pick\n}\n'
TRIED = 'provider "aws" {\n  region = try(local.pick, "us-east-1")\n}\n'


def test_a_local_read_inside_and_outside_try_is_judged_alike_in_any_order(
    tmp_path: Path,
) -> None:
    """try(local.pick, "us-east-1") may give its fallback (no element when result_count is
    0), so it stays unknown and reported, whether or not an earlier provider read the same
    local outside try() first (the memo once handed that reading to try(): no finding)."""
    verdicts = []
    for name, order in (("try-first", (TRIED, PLAIN)), ("plain-first", (PLAIN, TRIED))):
        module = tmp_path / name
        module.mkdir()
        (module / "main.tf").write_text(SHUFFLED_LOCAL + "\n".join(order))
        result = run_scan(module, "residency-eu")
        verdicts.append(sorted((f.rule_id, f.address) for f in result.findings))
    assert verdicts[0] == verdicts[1] == [("SOV104", "provider.aws")]
