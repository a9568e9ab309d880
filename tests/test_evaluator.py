"""The static evaluator: unknowns that propagate, branches, bounds, references, types."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sovlint.frontends.terraform.evaluator import Binding, Branches, Evaluator, Unknown
from sovlint.frontends.terraform.evaluator.parser import parse_expression
from sovlint.frontends.terraform.evaluator.values import EvalError
from sovlint.hclmodel import Expression, Literal


def _ev(**variables: str) -> Evaluator:
    bindings = {k: Binding(Expression(v, 1), f"var {k}") for k, v in variables.items()}
    return Evaluator(bindings, {}, declared=set(variables) | {"missing"})


def value(text: str, **variables: str) -> object:
    return _ev(**variables).evaluate(Expression(text, 1))


def test_unknown_propagates_with_its_reason() -> None:
    v = value('upper("${var.missing}-x")')
    assert isinstance(v, Unknown)
    assert "variable 'missing' has no value" in v.reason
    assert isinstance(value("timestamp()"), Unknown)
    assert isinstance(value("terraform.workspace"), Unknown)
    assert "not declared" in value("var.nope").reason  # type: ignore[union-attr]


def test_known_parts_of_an_object_with_unknowns_stay_known() -> None:
    assert value('{a = var.missing, b = "eu"}.b') == "eu"
    assert value("length([var.missing, 1])") == 2


def test_conditional_on_an_unknown_gives_both_branches() -> None:
    v = value('var.missing != "" ? var.missing : "us-east-1"')
    assert isinstance(v, Branches)
    options = {str(val): cond for val, cond in v.options}
    assert options["us-east-1"] == 'the branch where var.missing != "" is false'
    assert any(isinstance(val, Unknown) for val, _ in v.options)


def test_lookup_by_the_workspace_is_one_of_the_map() -> None:
    v = value(
        'lookup(var.m, terraform.workspace, "eu-west-3")',
        m='{prod = "us-east-1", dev = "eu-west-1"}',
    )
    assert isinstance(v, Branches)
    assert sorted(val for val, _ in v.options) == ["eu-west-1", "eu-west-3", "us-east-1"]
    indexed = value("var.m[terraform.workspace]", m='{prod = "us-east-1", dev = "eu-west-1"}')
    assert isinstance(indexed, Branches)
    assert ("us-east-1", 'the branch where terraform.workspace is "prod"') in indexed.options


def test_functions_apply_to_every_branch() -> None:
    v = value('upper(terraform.workspace == "prod" ? "us" : "eu")')
    assert isinstance(v, Branches)
    assert sorted(val for val, _ in v.options) == ["EU", "US"]


def test_optional_defaults_in_object_types() -> None:
    ev = Evaluator(
        {
            "cfg": Binding(
                Expression('{name = "x"}', 1),
                "v",
                type_expr=Expression(
                    'object({name = string, region = optional(string, "us-west-2")})', 1
                ),
            )
        },
        {},
    )
    assert ev.evaluate(Expression("var.cfg.region", 1)) == "us-west-2"
    assert ev.evaluate(Expression("var.cfg.name", 1)) == "x"


def test_type_conversion_of_a_variable() -> None:
    ev = Evaluator({"n": Binding(Literal(3, 1), "v", type_expr=Expression("string", 1))}, {})
    assert ev.evaluate(Expression("var.n", 1)) == "3"


def test_cycles_and_self_reference_end_unknown() -> None:
    ev = Evaluator(
        {},
        {"a": Binding(Expression("local.b", 1), "l"), "b": Binding(Expression("local.a", 1), "l")},
    )
    assert isinstance(ev.evaluate(Expression("local.a", 1)), Unknown)


@pytest.mark.parametrize(
    "text",
    [
        "[" * 5000 + "]" * 5000,
        "(" * 5000 + "1" + ")" * 5000,
        "-" * 5000 + "1",
        "!" * 5000 + "true",
        "f(" * 3000 + ")" * 3000,
        '"${' * 2000 + "1" + '}"' * 2000,
        'join("", [for a in range(1000) : join("", [for b in range(1000) : "x"])])',
        "length(flatten([for a in range(1000) : [for b in range(1000) : [a, b]]]))",
        'regex("(a+)+$", "' + "a" * 5000 + '!")',
        'format("%999999999d", 1)',
        "jsonencode(" * 500 + "1" + ")" * 500,
    ],
)
def test_pathological_expressions_end_quickly_as_unknown(text: str) -> None:
    start = time.monotonic()
    v = value(text)
    assert isinstance(v, Unknown)
    assert time.monotonic() - start < 5


def test_long_chains_of_locals_are_bounded() -> None:
    locals_ = {f"l{i}": Binding(Expression(f"local.l{i + 1}", 1), "l") for i in range(5000)}
    locals_["l5000"] = Binding(Literal("eu", 1), "l")
    start = time.monotonic()
    v = Evaluator({}, locals_).evaluate(Expression("local.l0", 1))
    assert isinstance(v, Unknown)  # deeper than the reference limit, never a crash
    assert time.monotonic() - start < 5


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='ab(){}[]"$%~.,:?!=<>+-*/&|01 \nforinif\\', max_size=60))
def test_arbitrary_text_never_raises(text: str) -> None:
    with contextlib.suppress(EvalError):
        parse_expression(text)
    v = value(text)
    assert v is not NotImplemented


def test_a_pathological_location_in_a_scan_ends_quickly_as_sov104(tmp_path: Path) -> None:
    from sovtest import run_scan

    locals_ = "\n".join(f"  l{i} = [for x in local.l{i + 1} : [x, x]]" for i in range(30))
    (tmp_path / "main.tf").write_text(
        'terraform {\n  required_providers {\n    hcloud = {\n      source = "hetznercloud/hcloud"\n'
        "    }\n  }\n}\n"
        f"locals {{\n{locals_}\n  l30 = range(1000)\n}}\n"
        'resource "hcloud_server" "s" {\n  name        = "s"\n  server_type = "cx22"\n'
        '  image       = "debian-12"\n  location    = jsonencode(local.l0)\n}\n'
    )
    start = time.monotonic()
    findings = run_scan(tmp_path, "residency-eu").findings
    assert time.monotonic() - start < 30
    assert [(f.rule_id, f.address) for f in findings] == [("SOV104", "hcloud_server.s")]
    assert "too large" in findings[0].message or "more than" in findings[0].message
