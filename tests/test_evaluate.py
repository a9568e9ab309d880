"""Static evaluation through the compatibility entry point: references, functions,
templates; unknown stays unknown."""

from __future__ import annotations

from sovlint.frontends.terraform.evaluate import UNKNOWN, Binding, Evaluator
from sovlint.hclmodel import Expression, Literal, ObjectExpr, Template


def _ev() -> Evaluator:
    variables = {
        "region": Binding(Literal("eu-west-3", 1), "default of variable 'region' at v.tf:1"),
        "regions": Binding(ObjectExpr((("primary", Literal("fr-par", 2)),), 2), "v.tf:2"),
        "loop": Binding(Expression("local.loop", 3), "v.tf:3"),
    }
    local_values = {
        "r": Binding(Expression("var.region", 4), "local 'r' at l.tf:4"),
        "loop": Binding(Expression("var.loop", 5), "l.tf:5"),
        "name": Binding(Template("app-${var.region}", 6), "l.tf:6"),
    }
    return Evaluator(variables, local_values)


def test_references() -> None:
    ev = _ev()
    assert ev.value(Expression("var.region", 1)) == "eu-west-3"
    assert ev.value(Expression("local.r", 1)) == "eu-west-3"
    assert ev.value(Expression('var.regions["primary"]', 1)) == "fr-par"
    assert ev.value(Expression("var.regions.primary", 1)) == "fr-par"
    assert ev.value(Template("${local.name}-x", 1)) == "app-eu-west-3-x"


def test_unknowns() -> None:
    ev = _ev()
    assert ev.value(Expression("var.missing", 1)) is UNKNOWN
    assert ev.value(Expression("var.loop", 1)) is UNKNOWN  # cycle
    assert ev.value(Expression("aws_s3_bucket.b.region", 1)) is UNKNOWN  # not declared
    assert ev.value(Expression("var.regions.secondary", 1)) is UNKNOWN  # an error in Terraform
    assert ev.value(Expression("timestamp()", 1)) is UNKNOWN
    assert ev.value(Expression("lower(var.missing)", 1)) is UNKNOWN


def test_functions_and_directives() -> None:
    ev = _ev()
    assert ev.value(Expression('lookup(var.regions, "primary", "x")', 1)) == "fr-par"
    assert ev.value(Template("%{if true}x%{endif}", 1)) == "x"


def test_origin_names_the_definition() -> None:
    assert _ev().origin(Expression("local.r", 1)) == "local 'r' at l.tf:4"
