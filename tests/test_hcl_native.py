"""The python-hcl2 adapter: values, lines, errors, and robustness on arbitrary text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sovlint.frontends.terraform.hcl_native import HclSyntaxError, parse_hcl, unescape
from sovlint.hclmodel import Expression, Literal, ObjectExpr, Template, TupleExpr

SAMPLE = """\
provider "aws" {
  alias  = "eu"
  region = var.region # trailing
  endpoints {
    s3 = "https://s3.fr-par.scw.cloud"
  }
}

locals {
  name  = "say \\"hi\\""
  tmpl  = "x-${var.region}"
  esc   = "a$${b}"
  num   = 3
  obj   = { a = "b", "quoted key" = 1 }
  list  = ["a", 1, true, null]
  cond  = var.a ? "x" : "y"
  doc   = <<-EOT
    indented
      more
    EOT
}
"""


def test_blocks_attributes_and_lines() -> None:
    doc = parse_hcl(SAMPLE, "main.tf")
    provider, local_block = doc.body.blocks
    assert (provider.type, provider.labels, provider.line, provider.end_line) == (
        "provider",
        ["aws"],
        1,
        7,
    )
    region = provider.body.attr("region")
    assert region is not None
    assert region.line == 3
    assert region.value == Expression("var.region", 3)
    endpoints = provider.body.blocks_of("endpoints")[0]
    s3 = endpoints.body.attr("s3")
    assert s3 is not None
    assert s3.line == 5
    assert s3.value == Literal("https://s3.fr-par.scw.cloud", 5)
    assert local_block.line == 9


def test_value_kinds() -> None:
    attrs = parse_hcl(SAMPLE, "main.tf").body.blocks[1].body.attributes
    assert attrs["name"].value == Literal('say "hi"', 10)
    assert attrs["tmpl"].value == Template("x-${var.region}", 11)
    assert attrs["esc"].value == Literal("a${b}", 12)
    assert attrs["num"].value == Literal(3, 13)
    obj = attrs["obj"].value
    assert isinstance(obj, ObjectExpr)
    assert [k for k, _ in obj.items] == ["a", "quoted key"]
    lst = attrs["list"].value
    assert isinstance(lst, TupleExpr)
    assert [i.value for i in lst.items if isinstance(i, Literal)] == ["a", 1, True, None]
    assert isinstance(attrs["cond"].value, Expression)
    assert attrs["doc"].value == Literal("indented\n  more\n", 17)


def test_unescape() -> None:
    assert unescape(r"a\nb\t\"c\"\\") == 'a\nb\t"c"\\'
    assert unescape(r"\u00e9") == "é"
    assert unescape("$${x} %%{y}") == "${x} %{y}"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('resource "a" "b" {\n  x = \n}\n', 2),
        ('a = "x"\nb = {\n', 3),
        ("a = 1\n}\n", 2),
        ('provider "aws" {\n  region = "eu-west-3"\n', 3),
    ],
)
def test_syntax_errors_carry_a_line(text: str, line: int) -> None:
    with pytest.raises(HclSyntaxError) as info:
        parse_hcl(text, "bad.tf")
    assert info.value.line == line
    assert "\n" not in str(info.value)


def test_deep_nesting_is_a_syntax_error_not_a_crash() -> None:
    with pytest.raises(HclSyntaxError):
        parse_hcl("a = " + "[" * 5000 + "]" * 5000 + "\n", "deep.tf")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(
        alphabet=st.sampled_from(list("abc{}[]()=\"'$#/*\n\t .,:?<>-0123456789\\%")), max_size=120
    )
)
def test_arbitrary_text_parses_or_raises_syntax_error(text: str) -> None:
    try:
        parse_hcl(text, "fuzz.tf")
    except HclSyntaxError as exc:
        assert exc.line >= 1


VALID = 'provider "aws" {\n  region = "eu-west-3"\n}\n\nresource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n'


def _shape(text: str) -> list[tuple[str, list[str], dict[str, object]]]:
    doc = parse_hcl(text, "x.tf")
    return [
        (
            b.type,
            b.labels,
            {k: getattr(a.value, "value", None) for k, a in b.body.attributes.items()},
        )
        for b in doc.body.blocks
    ]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(["# note", "// other", "/* block */", "", "   "]), min_size=1, max_size=4
    ),
    st.booleans(),
)
def test_comments_whitespace_and_crlf_do_not_change_facts(extra: list[str], crlf: bool) -> None:
    lines = VALID.splitlines()
    decorated: list[str] = []
    for i, line in enumerate(lines):
        decorated.append(line)
        if line.endswith("}") and not line.startswith(" "):
            decorated.append(extra[i % len(extra)])
    text = "\n".join(decorated) + "\n"
    from sovlint.readfile import decode

    raw = text.replace("\n", "\r\n") if crlf else text
    assert _shape(decode(raw.encode())) == _shape(VALID)
