"""Differential tests: the static evaluator against `terraform console` (or `tofu console`).

Every built-in function the evaluator implements appears in HAND (Terraform's documented
examples, plus edge cases); hypothesis generates further expressions. Each batch is one
console process, so the suite stays fast.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from evaluator_oracle import CONSOLE, ERROR, SKIP_REASON, console_values, sovlint_value, workdir

pytestmark = pytest.mark.skipif(CONSOLE is None, reason=SKIP_REASON)

HAND = [
    # numeric
    "abs(23)",
    "abs(0)",
    "abs(-12.4)",
    "ceil(5)",
    "ceil(5.1)",
    "floor(5)",
    "floor(4.9)",
    "log(50, 10)",
    "log(16, 2)",
    "max(12, 54, 3)",
    "max([12, 54, 3]...)",
    "min(12, 54, 3)",
    'parseint("100", 10)',
    'parseint("FF", 16)',
    'parseint("-10", 16)',
    'parseint("1011111011101111", 2)',
    'parseint("aA", 62)',
    'parseint("12", 2)',
    "pow(3, 2)",
    "pow(4, 0)",
    "signum(-13)",
    "signum(0)",
    "signum(344)",
    # string
    'chomp("hello\\n")',
    'chomp("hello\\r\\n")',
    'chomp("hello\\n\\n")',
    'endswith("hello world", "world")',
    'startswith("hello world", "hello")',
    'format("Hello, %s!", "Ander")',
    'format("There are %d lights", 4)',
    'format("%-5s|", "a")',
    'format("%5s|", "a")',
    'format("%05.2f", 3.14159)',
    'format("%q", "x")',
    'format("%t", true)',
    'format("%x", 255)',
    'format("%X|%o|%b", 255, 8, 5)',
    'format("%.3f", 1)',
    'format("%e", 1234.5)',
    'format("%s-%s", "a", 1)',
    'format("%[2]s %[1]s", "a", "b")',
    'format("100%%")',
    'format("%d", 1.5)',
    'formatlist("Hello, %s!", ["Valentina", "Ander", "Olivia", "Sam"])',
    'formatlist("%s, %s%s", ["Salutations", "Valedictions"], "Friend", ["", "!"])',
    'indent(2, "[\\n  foo,\\n  bar,\\n]\\n")',
    'join(", ", ["foo", "bar", "baz"])',
    'join(", ", ["foo"])',
    'join("-", ["a"], ["b", "c"])',
    'lower("HELLO")',
    'upper("hello")',
    'title("hello world")',
    'regex("[a-z]+", "53453453.345345aaabbbccc23454")',
    'regex("(\\\\d\\\\d\\\\d\\\\d)-(\\\\d\\\\d)-(\\\\d\\\\d)", "2019-02-01")',
    'regex("^(?:(?P<scheme>[^:/?#]+):)?(?://(?P<authority>[^/?#]*))?", "https://terraform.io/docs/")',
    'regex("[a-z]+", "53453453.34534523454")',
    'regexall("[a-z]+", "1234abcd5678efgh9")',
    'length(regexall("[a-z]+", "123456789")) > 0',
    'replace("1 + 2 + 3", "+", "-")',
    'replace("hello world", "/w.*d/", "everybody")',
    'replace("hello world", "/o(r?)/", "0$1")',
    'split(",", "foo")',
    'split(",", "foo,bar,baz")',
    'split(",", "")',
    'strcontains("hello world", "wor")',
    'strrev("hello")',
    'substr("hello world", 1, 4)',
    'substr("hello world", -5, -1)',
    'substr("abc", 1, 10)',
    'trim("?!hello?!", "!?")',
    'trimprefix("helloworld", "hello")',
    'trimsuffix("helloworld", "world")',
    'trimprefix("helloworld", "cat")',
    'trimspace("  hello\\n\\n")',
    # collections
    'alltrue(["true", true])',
    "alltrue([true, false])",
    'anytrue(["true"])',
    "anytrue([])",
    'chunklist(["a", "b", "c", "d", "e"], 2)',
    'chunklist(["a", "b", "c", "d", "e"], 1)',
    'coalesce("a", "b")',
    'coalesce("", "b")',
    "coalesce(1, 2)",
    'coalesce(null, "x")',
    'coalescelist(["a", "b"], ["c", "d"])',
    'coalescelist([], ["c", "d"])',
    'compact(["a", "", "b", null, "c"])',
    'concat(["a", ""], ["b", "c"])',
    'contains(["a", "b", "c"], "a")',
    'contains(["a", "b", "c"], "d")',
    'distinct(["a", "b", "a", "c", "d", "b"])',
    'element(["a", "b", "c"], 1)',
    'element(["a", "b", "c"], 3)',
    'flatten([["a", "b"], [], ["c"]])',
    'flatten([[["a", "b"], []], ["c"]])',
    'index(["a", "b", "c"], "b")',
    "keys({a = 1, c = 2, d = 3})",
    "length([])",
    'length(["a", "b"])',
    'length({"a" = "b"})',
    'length("hello")',
    'lookup({a = "ay", b = "bee"}, "a", "what?")',
    'lookup({a = "ay", b = "bee"}, "c", "what?")',
    'lookup({a = "ay"}, "c")',
    'matchkeys(["i-123", "i-abc", "i-def"], ["us-west", "us-east", "us-east"], ["us-east"])',
    'merge({a = "b", c = "d"}, {e = "f", c = "z"})',
    'merge({a = "b"}, {a = [1, 2], c = "z"}, {d = 3})',
    "one([])",
    'one(["hello"])',
    'one(["a", "b"])',
    "range(3)",
    "range(1, 4)",
    "range(1, 8, 2)",
    "range(1, 4, 0.5)",
    "range(4, 1)",
    "range(10, 5, -2)",
    "reverse([1, 2, 3])",
    'setintersection(["a", "b"], ["b", "c"], ["b", "d"])',
    'setproduct(["development", "staging", "production"], ["app1", "app2"])',
    'setsubtract(["a", "b", "c"], ["a", "c"])',
    'setunion(["a", "b"], ["b", "c"], ["d"])',
    'slice(["a", "b", "c", "d"], 1, 3)',
    'sort(["e", "d", "a", "x"])',
    "sum([10, 13, 6, 4.5])",
    'transpose({"a" = ["1", "2"], "b" = ["2", "3"]})',
    "values({a = 3, c = 2, d = 1})",
    'zipmap(["a", "b"], [1, 2])',
    # encoding and hashing
    'base64decode("SGVsbG8gV29ybGQ=")',
    'base64encode("Hello World")',
    'csvdecode("a,b,c\\n1,2,3\\n4,5,6")',
    'jsondecode("{\\"hello\\": \\"world\\"}")',
    'jsondecode("true")',
    'jsondecode("[1, 2.5]")',
    'jsonencode({"hello" = "world"})',
    'jsonencode({b = [1, 2.5, true, null], a = "x<y&"})',
    'urlencode("Hello World!")',
    'urlencode("foo:bar@localhost?foo=bar&bar=baz")',
    'urlencode("a/b~c")',
    'md5("hello world")',
    'sha1("hello world")',
    'sha256("hello world")',
    'sha512("hello world")',
    'base64sha256("hello world")',
    'base64sha512("hello world")',
    'uuidv5("dns", "www.terraform.io")',
    'uuidv5("url", "https://www.terraform.io/")',
    'uuidv5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "www.terraform.io")',
    # networks
    'cidrhost("10.12.112.0/20", 16)',
    'cidrhost("10.12.112.0/20", 268)',
    'cidrhost("10.0.0.0/24", -2)',
    'cidrhost("fd00:fd12:3456:7890:00a2::/72", 34)',
    'cidrnetmask("172.16.0.0/12")',
    'cidrsubnet("172.16.0.0/12", 4, 2)',
    'cidrsubnet("10.1.2.0/24", 4, 15)',
    'cidrsubnet("fd00:fd12:3456:7890::/56", 16, 162)',
    'cidrsubnet("10.0.0.0/16", 8, 256)',
    'cidrsubnets("10.1.0.0/16", 4, 4, 8, 4)',
    'cidrsubnets("fd00:fd12:3456:7890::/56", 16, 16, 16, 32)',
    # type conversion, try, can
    'can(tonumber("x"))',
    "can(1)",
    "tobool(true)",
    'tobool("true")',
    "tobool(null)",
    'tolist(["a", "b", "c"])',
    'tomap({"a" = 1, "b" = 2})',
    "tonumber(1)",
    'tonumber("1")',
    "tonumber(null)",
    'toset(["a", "b", "c", "a"])',
    'toset(["c", "b", "b"])',
    'tostring("hello")',
    "tostring(1)",
    "tostring(true)",
    "tostring(null)",
    'try(tonumber("x"), 0)',
    'try({a = 1}.b, "fallback")',
    'nonsensitive(sensitive("x"))',
    # dates (no clock): Terraform's documented examples, then edge cases
    'formatdate("DD MMM YYYY hh:mm ZZZ", "2018-01-02T23:12:01Z")',
    'formatdate("EEEE, DD-MMM-YY hh:mm:ss ZZZ", "2018-01-02T23:12:01Z")',
    'formatdate("MMM DD, YYYY", "2018-01-02T23:12:01Z")',
    'formatdate("HH:mmaa", "2018-01-02T23:12:01Z")',
    'formatdate("h:mm AA, H HH", "2018-01-02T00:02:03-08:00")',
    "formatdate(\"'Day' D, MMMM YYYY 'o''clock' ZZZZZ ZZZZ Z\", \"2018-01-02T03:04:05.6+05:30\")",
    'formatdate("YYYY-MM-DD", "2018-01-02")',
    'formatdate("x", "2018-01-02T03:04:05Z")',
    'formatdate("YYYYY", "2018-01-02T03:04:05Z")',
    'formatdate("D", "2018-02-30T03:04:05Z")',
    'timeadd("2017-11-22T00:00:00Z", "10m")',
    'timeadd("2017-11-22T00:00:00+02:00", "-1.5h30m10.5s")',
    'timeadd("2017-11-22T00:00:00.999Z", "1ms")',
    'timeadd("2017-11-22T00:00:00Z", "-1ns")',
    'timeadd("2017-11-22T00:00:00Z", "0")',
    'timeadd("2017-11-22T00:00:00Z", "1d")',
    'timeadd("2017-11-22T00:00:00Z", ".s")',
    # character encodings
    'textencodebase64("Hello World", "UTF-16LE")',
    'textdecodebase64("SABlAGwAbABvACAAVwBvAHIAbABkAA==", "UTF-16LE")',
    'textencodebase64("é", "ISO-8859-1")',
    'textencodebase64("é€", "utf-8")',
    'textencodebase64("a€", "UTF-16")',
    'textencodebase64("a", "UTF-16BE")',
    'textencodebase64("€", "ISO-8859-1")',
    'textdecodebase64("6Q==", "iso-8859-1")',
    'textdecodebase64("!!", "UTF-8")',
    # files (in the console's directory, which is the "module")
    'basename("foo/bar/baz.txt")',
    'dirname("foo/bar/baz.txt")',
    'file("hello.txt")',
    'fileexists("hello.txt")',
    'fileexists("nope.txt")',
    'filebase64("hello.txt")',
    'templatefile("greeting.tftpl", {name = "eu", items = ["a", "b"]})',
    # language
    "1 + 2 * 3",
    "(1 + 2) * 3",
    "7 % 3",
    "-7 % 3",
    "7 / 2",
    '"1" + 1',
    '1 == "1"',
    "[1] == [1]",
    "1e3",
    "0.1 + 0.2",
    "!true || false && true",
    "1 < 2 == true",
    "{a = 1}.a",
    '{a = {b = ["x"]}}.a.b[0]',
    '[for s in ["a", "b"] : upper(s) if s != "a"]',
    '{for s in ["a", "b", "a"] : s => s...}',
    "{for k, v in {x = 1, y = 2} : v => k}",
    '[for i, v in ["a", "b"] : "${i}:${v}"]',
    '["a", "b"][*]',
    "[{x = {y = 1}}, {x = {y = 2}}][*].x.y",
    "{a = 1}[*]",
    "[{a = 1}].*.a",
    '"%{ if true }yes%{ else }no%{ endif }"',
    '"%{ for x in ["a", "b"] }${x};%{ endfor }"',
    '"a  %{~ if true ~}  x  %{~ endif ~}  b"',
    '"${"${"x"}"}"',
    '"$${literal} %%{literal}"',
    'true ? "a" : "b"',
    'false ? 1 : "b"',
    '"x-${1 + 1}-${true}"',
    '"\\u00e9\\t"',
    'lower(format("%s-%s", "EU", upper("west")))',
    'element(split(",", "a,b,c"), 5)',
]


def _hand_functions() -> set[str]:
    return {m.group(1) for e in HAND for m in re.finditer(r"\b([a-z][a-z0-9]*)\(", e)}


def test_every_function_is_in_the_differential_set() -> None:
    from sovlint.frontends.terraform.evaluator.files import FILE_FUNCTIONS
    from sovlint.frontends.terraform.evaluator.functions import builtins

    implemented = set(builtins()) | set(FILE_FUNCTIONS) | {"try", "can"}
    assert implemented - _hand_functions() == set()


def _module_dir() -> Path:
    d = workdir()
    (d / "hello.txt").write_text("Hello World\n")
    (d / "greeting.tftpl").write_text("Hi ${name}!\n%{ for i in items ~}\n- ${i}\n%{ endfor ~}\n")
    return d


def _compare(expressions: list[str]) -> None:
    d = _module_dir()
    expected = console_values(expressions, d)
    problems = []
    for expr, want in zip(expressions, expected, strict=True):
        got = sovlint_value(expr, d)
        if got != want and not (
            isinstance(want, float) and isinstance(got, float) and abs(want - got) < 1e-9
        ):
            problems.append(f"{expr}\n    terraform: {want!r}\n    sovlint:   {got!r}")
    assert not problems, "\n".join(problems)


def test_hand_written_expressions_match_terraform() -> None:
    _compare(HAND)


# -- generated expressions -----------------------------------------------------------

_WORDS = st.sampled_from(
    ["eu", "west", "EU-West-3", "a,b", "x y", "", "fr-par", "us-east-1", "3", "-"]
)
_STR_LIT = _WORDS.map(lambda w: '"' + w + '"')
_NUM_LIT = st.integers(min_value=-20, max_value=20).map(str) | st.sampled_from(
    ["1.5", "0.25", "100"]
)


def _str_expr(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        children.map(lambda a: f"upper({a})"),
        children.map(lambda a: f"lower({a})"),
        children.map(lambda a: f"title({a})"),
        children.map(lambda a: f"trimspace({a})"),
        children.map(lambda a: f"strrev({a})"),
        st.tuples(children, children).map(lambda p: f'"${{{p[0]}}}-${{{p[1]}}}"'),
        st.tuples(children, children).map(lambda p: f'format("%s/%s", {p[0]}, {p[1]})'),
        st.tuples(children, _STR_LIT, _STR_LIT).map(lambda p: f"replace({p[0]}, {p[1]}, {p[2]})"),
        st.tuples(children, children).map(lambda p: f"coalesce({p[0]}, {p[1]})"),
        st.tuples(children, children).map(lambda p: f'join(",", [{p[0]}, {p[1]}])'),
        st.tuples(children, _STR_LIT).map(lambda p: f'element(split("-", {p[0]}), length({p[1]}))'),
        st.tuples(children, children).map(lambda p: f'{p[0]} == {p[1]} ? "same" : {p[1]}'),
        st.tuples(children, children).map(lambda p: f'lookup({{a = {p[0]}}}, {p[1]}, "dflt")'),
        st.tuples(children, st.integers(0, 3), st.integers(-1, 3)).map(
            lambda p: f"substr({p[0]}, {p[1]}, {p[2]})"
        ),
        children.map(lambda a: f'try(regex("[a-z]+", {a}), "none")'),
        children.map(lambda a: f"tostring(length({a}))"),
        children.map(lambda a: f"jsonencode([{a}, length({a})])"),
    )


_STRINGS = st.recursive(_STR_LIT, _str_expr, max_leaves=6)


def _num_expr(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    ops = st.sampled_from(["+", "-", "*", "/", "%"])
    return st.one_of(
        st.tuples(children, ops, children).map(lambda p: f"({p[0]} {p[1]} {p[2]})"),
        st.tuples(children, children).map(lambda p: f"max({p[0]}, {p[1]})"),
        st.tuples(children, children).map(lambda p: f"min({p[0]}, {p[1]})"),
        children.map(lambda a: f"abs({a})"),
        children.map(lambda a: f"floor({a})"),
        children.map(lambda a: f"ceil({a})"),
        children.map(lambda a: f"signum({a})"),
        children.map(lambda a: f"-{a}"),
        st.tuples(children, children).map(lambda p: f"{p[0]} < {p[1]} ? {p[0]} : {p[1]}"),
        children.map(lambda a: f"length(range(max(0, min(5, {a}))))"),
        children.map(lambda a: f"sum([{a}, 1, 2.5])"),
    )


_NUMBERS = st.recursive(_NUM_LIT, _num_expr, max_leaves=6)


def _list_expr(strings: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    lst = st.lists(strings, min_size=0, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]")
    return st.one_of(
        lst.map(lambda a: f"distinct({a})"),
        lst.map(lambda a: f"sort({a})"),
        lst.map(lambda a: f"reverse({a})"),
        lst.map(lambda a: f"compact({a})"),
        lst.map(lambda a: f"toset({a})"),
        st.tuples(lst, lst).map(lambda p: f"concat({p[0]}, {p[1]})"),
        st.tuples(lst, lst).map(lambda p: f"setunion({p[0]}, {p[1]})"),
        st.tuples(lst, lst).map(lambda p: f"setsubtract({p[0]}, {p[1]})"),
        lst.map(lambda a: f'[for s in {a} : upper(s) if s != ""]'),
        lst.map(lambda a: f"{{for s in {a} : s => length(s)...}}"),
        lst.map(lambda a: f"flatten([{a}, [{a}]])"),
        st.tuples(lst, strings).map(lambda p: f"contains({p[0]}, {p[1]})"),
        lst.map(lambda a: f"zipmap({a}, {a})"),
        lst.map(lambda a: f"keys(zipmap({a}, {a}))"),
        lst.map(lambda a: f'"%{{ for s in {a} }}[${{s}}]%{{ endfor }}"'),
        lst.map(lambda a: f"length({a})"),
        st.tuples(lst, st.integers(0, 3)).map(lambda p: f"chunklist({p[0]}, {p[1]})"),
    )


_EXPRESSIONS = st.one_of(_STRINGS, _NUMBERS, _list_expr(_STRINGS))


@settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    phases=[Phase.generate],  # one console run per example; shrinking would rerun it for minutes
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(_EXPRESSIONS, min_size=120, max_size=120))
def test_generated_expressions_match_terraform(expressions: list[str]) -> None:
    _compare(expressions)


def test_console_disagreement_would_be_caught() -> None:
    """The oracle is live: a wrong expectation is reported (guards against a vacuous test)."""
    d = _module_dir()
    assert console_values(['upper("a")', "element([], 0)"], d) == ["A", ERROR]
