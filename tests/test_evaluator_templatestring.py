"""templatestring() against `terraform console`: it renders the string a reference names,
with only the given variables; a literal, an expression or a non-string is an error."""

from __future__ import annotations

import json

import pytest

from evaluator_oracle import CONSOLE, ERROR, SKIP_REASON, console_values, workdir
from sovlint.frontends.terraform.evaluator import Binding, Evaluator, Unknown, unknown_in
from sovlint.frontends.terraform.evaluator.functions.encoding import jsonencode
from sovlint.hclmodel import Expression

LOCALS = {
    "t": '"Hi $${name}! %%{ for i in items }[$${i}]%%{ endfor }"',
    "m": r'{ a = "A $${x}", b = "$${upper(x)}-%%{ if x == \"eu\" }in%%{ else }out%%{ endif }" }',
    "n": "5",
}
CASES = [
    'templatestring(local.t, {name = "eu", items = ["a", "b"]})',
    "templatestring(local.m.a, {x = 1})",
    'templatestring(local.m["a"], {x = upper("y")})',
    'templatestring(local.m.b, {x = "eu"})',
    'templatestring(local.m.b, {x = "us"})',
    "templatestring(local.m.a, {x = 1, y = 2})",
    'templatestring("Hi ${"$"}{x}", {x = 1})',
    'templatestring(local.t, {name = "eu"})',
    "templatestring(local.n, {})",
    "templatestring(local.m, {})",
    "templatestring(lower(local.m.a), {x = 1})",
    'templatestring(local.m.a, "x")',
]


def _sovlint(expression: str) -> object:
    bindings = {k: Binding(Expression(v, 1), f"local {k}") for k, v in LOCALS.items()}
    value = Evaluator({}, bindings).evaluate(Expression(expression, 1))
    found = unknown_in(value)
    if isinstance(found, Unknown):
        return ERROR if "an error in Terraform" in found.reason else found
    return json.loads(jsonencode(value))


@pytest.mark.skipif(CONSOLE is None, reason=SKIP_REASON)
def test_templatestring_matches_terraform() -> None:
    d = workdir()
    body = "\n".join(f"  {k} = {v}" for k, v in LOCALS.items())
    (d / "main.tf").write_text(f"locals {{\n{body}\n}}\n")
    expected = console_values(CASES, d)
    assert ERROR in expected and any(e != ERROR for e in expected)  # both kinds are tested
    problems = [
        f"{e}\n    terraform: {want!r}\n    sovlint:   {got!r}"
        for e, want in zip(CASES, expected, strict=True)
        if (got := _sovlint(e)) != want
    ]
    assert not problems, "\n".join(problems)


def test_an_unknown_template_or_variable_stays_unknown() -> None:
    assert isinstance(_sovlint("templatestring(local.m.a, {x = timestamp()})"), Unknown)
    assert isinstance(_sovlint("templatestring(var.missing, {})"), Unknown)
