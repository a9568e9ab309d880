"""The tree-sitter path must build exactly python-hcl2's document, and never accept what it rejects."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sovlint.frontends.terraform import hcl_fast
from sovlint.frontends.terraform.hcl_native import HclSyntaxError, parse_hcl
from sovlint.hclmodel import body_to_json

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

pytestmark = pytest.mark.skipif(not hcl_fast.available(), reason="tree-sitter-hcl is not installed")


def reference(text: str) -> object:
    try:
        return body_to_json(parse_hcl(text, "x.tf").body)
    except HclSyntaxError:
        return "syntax error"


TERRAFORM = shutil.which("terraform")


def terraform_accepts(text: str) -> bool | None:
    """Terraform's own parser as the oracle (`terraform fmt -`), when it is installed."""
    if TERRAFORM is None:
        return None
    proc = subprocess.run(
        [TERRAFORM, "fmt", "-"], input=text, capture_output=True, text=True, timeout=60
    )
    return proc.returncode == 0


def check_same(text: str) -> bool:
    """True when the fast path produced a document (it then must equal the reference)."""
    fast = hcl_fast.parse_fast(text, "x.tf")
    ref = reference(text)
    if fast is None:
        return False
    if ref == "syntax error":
        # Only acceptable where python-hcl2 is the one that is wrong (e.g. `1e3`, `0-00`).
        verdict = terraform_accepts(text)
        assume(verdict is not None)  # no oracle on this machine: cannot judge this example
        assert verdict, f"tree-sitter accepted a file that Terraform rejects: {text!r}"
        return True
    assert body_to_json(fast.body) == ref
    return True


FILES = sorted(p for p in (ROOT / "fixtures").rglob("*") if p.suffix in (".tf", ".tofu", ".tfvars"))


@pytest.mark.parametrize("path", FILES, ids=[p.relative_to(ROOT).as_posix() for p in FILES])
def test_fixture_files(path: Path) -> None:
    from sovlint.readfile import ReadError, read_text

    try:
        text = read_text(path)
    except ReadError:
        pytest.skip("not text")
    check_same(text)


def test_benchmark_corpus(tmp_path: Path) -> None:
    from corpus import generate

    generate(tmp_path, modules=40, seed=11)
    used = [check_same(p.read_text()) for p in sorted(tmp_path.rglob("*.tf"))]
    assert sum(used) == len(used)  # valid generated files all take the fast path


def test_syntax_errors_always_go_to_the_reference() -> None:
    for text in [
        'resource "a" "b" {\n  x = \n}\n',
        "a = [1, 2\n",
        'provider "aws" {\n',
        "a = 1\n}\n",
    ]:
        assert hcl_fast.parse_fast(text, "x.tf") is None


def test_exponent_numbers_defer_to_the_reference() -> None:
    """Both python-hcl2 8.x and tree-sitter-hcl 1.2 misread `1e3` (Terraform reads 1000):
    tree-sitter flags an error, so the reference decides and both installs agree."""
    assert hcl_fast.parse_fast('a = 1e3\nb = "x"\n', "x.tf") is None


def test_newline_rules_tree_sitter_does_not_enforce() -> None:
    for text in [
        "a =\n0\n",
        "a = 1 b = 2\n",
        'block "x"\n{\n}\n',
        "b {\n  c = 1 }\n",
        "b { c = 1\n}\n",
    ]:
        assert hcl_fast.parse_fast(text, "x.tf") is None, text
    assert hcl_fast.parse_fast("b { c = 1 }\nd = (\n  1 +\n  2\n)\n", "x.tf") is not None


def test_deep_nesting_goes_to_the_reference() -> None:
    text = "a = " + "[" * 100 + "]" * 100 + "\n"
    assert hcl_fast.parse_fast(text, "x.tf") is None


values = st.one_of(
    st.sampled_from(
        [
            '"eu-west-3"',
            "var.region",
            "-1",
            "-1.5",
            "true",
            "null",
            '"x-${var.a}"',
            'local.m["k"]',
            'lookup(var.m, "k", "d")',
            'var.a ? "x" : "y"',
            "(var.x)",
            '"a\\"b"',
            '"$${x}"',
            "[for x in var.l : x]",
            '{ a = 1, "b c" = "d" }',
            '[1, "two", var.three]',
            "<<EOT\nbody ${x}\nEOT\n",
            "<<-EOT\n  a\n    b\n  EOT\n",
            '"unterminated',
            "= =",
            "{",
            "]",
        ]
    ),
    st.text(alphabet='abcxyz0123456789"{}[]()=.,:?$#/*\\ -\n', max_size=12),
)


@st.composite
def programs(draw: st.DrawFn) -> str:
    lines = []
    for i in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["attr", "block", "comment", "nested"]))
        value = draw(values)
        if kind == "attr":
            lines.append(f"a{i} = {value}")
        elif kind == "block":
            lines.append(f'resource "t{i}" "n" {{\n  x = {value}\n  # note\n}}')
        elif kind == "nested":
            lines.append(f'provider "p" {{\n  endpoints {{\n    s3 = {value} // trailing\n  }}\n}}')
        else:
            lines.append("/* c */ # c")
    return "\n".join(lines) + "\n"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs())
def test_generated_programs(text: str) -> None:
    check_same(text)


# The character-by-character scanner `_single_line` replaced (regular expressions now jump
# between the characters it acts on, and single-line text that cannot fail is not scanned):
# the oracle for both, on text that stresses strings, templates, comments and heredocs.
def _oracle_single_line(text: str) -> None:
    depth = 0
    i, n = 0, len(text)
    content_end = len(text.rstrip())
    while i < n:
        ch = text[i]
        if ch == '"':
            i = _oracle_skip_string(text, i)
            continue
        if text.startswith("<<", i):
            m = hcl_fast._HEREDOC_START.match(text, i)
            if m:
                close = re.compile(r"^[ \t]*" + re.escape(m.group(1)) + r"[ \t]*$", re.M)
                found = close.search(text, m.end())
                i = found.end() if found else n
                continue
        if ch == "#" or text.startswith("//", i):
            newline = text.find("\n", i)
            if newline == -1:
                return
            i = newline
            continue
        if text.startswith("/*", i):
            close_at = text.find("*/", i + 2)
            if close_at == -1:
                raise hcl_fast._NotHcl("unclosed comment")
            if depth == 0 and "\n" in text[i:close_at]:
                raise hcl_fast._NotHcl("newline in an attribute")
            i = close_at + 2
            continue
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "\n" and depth == 0 and i < content_end:
            raise hcl_fast._NotHcl("newline in an attribute")
        i += 1


def _oracle_skip_string(text: str, i: int) -> int:
    i += 1
    depth = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if text.startswith(("${", "%{"), i):
            depth += 1
            i += 2
            continue
        if ch == "}" and depth:
            depth -= 1
        elif ch == '"' and depth == 0:
            return i + 1
        elif ch == '"':
            i = _oracle_skip_string(text, i)
            continue
        elif ch == "\n" and depth == 0:
            raise hcl_fast._NotHcl("newline in a string")
        i += 1
    raise hcl_fast._NotHcl("unterminated string")


def _outcome(check: Callable[[str], None], text: str) -> str | None:
    try:
        check(text)
    except hcl_fast._NotHcl as err:
        return str(err)
    return None


# (space-separated, so the tokens read as they are written in HCL)
SCANNER_TOKENS = r'" \ ${ %{ $${ %%{ } { ( ) [ ] # // /* */ << EOT = a x - *'.split()  # noqa: SIM905
STRING_TOKENS = r'a ${x} ${"}"} $${ %%{ \" \\ # // /* */ { } \n'.split()  # noqa: SIM905
scanner_text = st.lists(
    st.sampled_from([*SCANNER_TOKENS, "<<EOT\n", "<<-EOT\n", "\n", " ", "\t"]),
    max_size=24,
).map("".join)


@settings(max_examples=3000, deadline=None)
@given(scanner_text)
def test_attribute_scanner_matches_the_character_scanner(text: str) -> None:
    assert _outcome(hcl_fast._scan_single_line, text) == _outcome(_oracle_single_line, text)


string_piece = st.sampled_from([*STRING_TOKENS, " ", "%{ if x }y%{ endif }"])
attribute_shape = st.sampled_from(
    ["{}", "[{}]", "f({}, 1)", "{{ k = {} }}", "{} # c", "{} // c", "/* c */ {}", "{} /* c */"]
)


@settings(max_examples=1000, deadline=None)
@given(st.lists(string_piece, max_size=8), attribute_shape)
def test_single_line_shortcut_on_attributes_tree_sitter_accepts(
    pieces: list[str], shape: str
) -> None:
    """The shortcut skips only attributes on which the scanner cannot fail (what tree-sitter
    accepted as one attribute: its strings are terminated)."""
    value = shape.format('"' + "".join(pieces) + '"')
    root = hcl_fast._PARSER[0].parse(f"a = {value}\n".encode()).root_node
    assume(not root.has_error)
    body = next(c for c in root.named_children if c.type == "body")
    for attribute in (c for c in body.named_children if c.type == "attribute"):
        text = attribute.text.decode()
        expected = _outcome(_oracle_single_line, text)
        assert _outcome(hcl_fast._single_line, text) == expected, text
