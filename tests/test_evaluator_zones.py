"""Refined unknowns: zones listed by a data source stay "a zone of region R" only through
operations that hand a zone name on unchanged; anything computed from one is plainly unknown."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sovlint.frontends.terraform.evaluator import Binding, Branches, Evaluator, Unknown
from sovlint.frontends.terraform.evaluator.refined import InRegion
from sovlint.frontends.terraform.evaluator.values import NO_INSTANCE
from sovlint.hclmodel import Expression
from sovtest import FIXTURES, run_scan

ZONES = InRegion("zones are read when Terraform runs", region="eu-west-3", provider="aws")


def _value(text: str, names_in: dict[str, object] | None = None) -> object:
    names = Binding(Expression("null", 1), "var zones", ZONES)
    ev = Evaluator({"zones": names}, {}, declared={"zones", "i"})
    return ev.evaluate(Expression(text, 1), names_in or {"count": {"index": 1}})


def _refined(value: object) -> bool:
    if isinstance(value, Branches):
        return any(_refined(v) for v, _ in value.options)
    return isinstance(value, InRegion)


# Each wraps an expression whose value is one zone name (or the list, for the first ones).
KEEPS = [
    "{e}",
    "({e})",
    "[{e}][0]",
    "{{a = {e}}}.a",
    'true ? {e} : "x"',
    "element([{e}, {e}], 1)",
    'lookup({{k = {e}}}, "k")',
    "one([{e}])",
    "[for z in [{e}] : z][0]",
]
DROPS = [
    "upper({e})",
    '"${{{e}}}a"',
    'format("%s", {e})',
    'join("", [{e}])',
    'replace({e}, "a", "b")',
    'try({e}, "x")',
    'coalesce({e}, "x")',
    "substr({e}, 0, 3)",
    '[for z in [{e}] : "${{z}}b"][0]',
    "jsondecode(jsonencode({e}))",
]
LIST_KEEPS = ["var.zones", "slice(var.zones, 0, 2)", "tolist(var.zones)", "sort(var.zones)"]
PICKS = ["{l}[0]", "element({l}, 1)", "{l}[count.index]", "element({l}, count.index)"]


def test_zone_lists_keep_the_region_through_indexing_and_element() -> None:
    for lst in LIST_KEEPS:
        for pick in PICKS:
            assert _refined(_value(pick.format(l=lst))), pick.format(l=lst)


def test_anything_computed_from_a_zone_is_a_plain_unknown() -> None:
    for wrap in DROPS:
        got = _value(wrap.format(e="var.zones[0]"))
        assert isinstance(got, Unknown) and not _refined(got), wrap
    assert not _refined(_value("length(var.zones)"))
    assert not _refined(_value('var.zones[0] == "eu-west-3a"'))
    assert not _refined(_value('[for z in var.zones : "${z}x"]'))
    # an index that is the key of an instance that does not exist (count = 0 with the
    # values given) is no location: nothing is kept
    gone = {"count": {"index": Unknown(f"the instance depends on {NO_INSTANCE}")}}
    for pick in ("var.zones[count.index]", "element(var.zones, count.index)"):
        got = _value(pick, gone)
        assert not _refined(got) and NO_INSTANCE in str(got), pick


def test_an_unknown_index_still_picks_a_zone_of_the_region() -> None:
    """Whatever the index (count that has several possible values, a variable with no
    value), an element of a zone list is a zone of that region, or an error in Terraform."""
    for pick in ("var.zones[var.i]", "element(var.zones, var.i)", "slice(var.zones, 0, var.i)"):
        assert _refined(_value(pick)), pick


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(KEEPS + DROPS), max_size=4), st.sampled_from(PICKS))
def test_a_zone_is_refined_exactly_when_every_step_hands_it_on(wraps: list[str], pick: str) -> None:
    text = pick.format(l="slice(var.zones, 0, 3)")
    for wrap in wraps:
        text = wrap.format(e=text)
    assert _refined(_value(text)) == all(w in KEEPS for w in wraps), text


def test_the_fixture_messages_name_the_data_source_and_the_way_out() -> None:
    result = run_scan(FIXTURES / "terraform" / "eval-zone-lists", "residency-eu")
    by = {f.address: f for f in result.findings}
    us = by["aws_subnet.us[0]"]
    assert "an Availability Zone of us-east-1" in us.message
    assert "docs/data-sources/availability_zones" in us.message
    local_zone = by["aws_subnet.eu"]
    assert "Local Zone (or Wavelength Zone) of eu-west-1" in local_zone.message
    assert "opt-in-not-required" in local_zone.fix
    assert "provider.aws.env's region is not known" in by["aws_subnet.env"].message


def test_zones_passed_to_a_module_keep_their_region(tmp_path: Path) -> None:
    """Zones from a data source of the calling module, handed to a child module as an argument:
    evaluated with the caller's provider facts (the caller's facts builder, which its evaluator
    calls back into, stays alive while the arguments are evaluated)."""
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  region = "eu-west-1"\n}\n'
        'data "aws_availability_zones" "available" {}\n'
        'module "net" {\n  source = "./net"\n'
        "  azs    = slice(data.aws_availability_zones.available.names, 0, 2)\n}\n"
    )
    (tmp_path / "net").mkdir()
    (tmp_path / "net" / "main.tf").write_text(
        'variable "azs" {}\n'
        'resource "aws_subnet" "s" {\n  count             = 2\n'
        "  availability_zone = element(var.azs, count.index)\n}\n"
    )
    result = run_scan(tmp_path, paths=[tmp_path])
    messages = [f.message for f in result.findings if f.rule_id == "SOV104"]
    assert messages, [(f.rule_id, f.message) for f in result.findings]
    assert all("Local Zone (or Wavelength Zone) of eu-west-1" in m for m in messages), messages
