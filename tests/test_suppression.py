"""Parsing of `sovlint:ignore` comments."""

from __future__ import annotations

import datetime as _dt

from sovlint.suppression import parse_suppressions

TEXT = """\
# sovlint:ignore SOV101,SOV102 -- reason one

resource "a" "b" { # sovlint:ignore SOV100
  x = "# sovlint:ignore SOV999 inside a string"
}
// sovlint:ignore SOV101 until=2027-01-31 -- with expiry
# comment between
resource "c" "d" {}
# sovlint:ignore SOV101 until=tomorrow -- bad date
# sovlint:ignore -- no ids
"""


def test_parse() -> None:
    sups = parse_suppressions("main.tf", TEXT)
    assert [(s.comment_line, s.target_line, s.rule_ids) for s in sups] == [
        (1, 3, ("SOV101", "SOV102")),
        (3, 3, ("SOV100",)),
        (6, 8, ("SOV101",)),
        (9, 0, ("SOV101",)),
        (10, 0, ()),
    ]
    assert sups[0].reason == "reason one"
    assert sups[2].until == _dt.date(2027, 1, 31)
    assert not sups[2].expired(_dt.date(2027, 1, 31))
    assert sups[2].expired(_dt.date(2027, 2, 1))
    assert sups[3].problem is not None and "not a date" in sups[3].problem
    assert sups[4].problem is not None
    assert all(s.problem is None for s in sups[:3])


def test_malformed_bodies() -> None:
    text = (
        "# sovlint:ignore SOV101 until=2027-01-31 extra -- words after the date\n"
        "# sovlint:ignore: SOV101\n"
        "# sovlint:ignore sov101 sov102\n"
        "x = 1\n"
    )
    sups = parse_suppressions("main.tf", text)
    assert [s.problem is None for s in sups] == [False, False, True]
    assert sups[2].rule_ids == ("SOV101", "SOV102") and sups[2].target_line == 4


def test_many_comment_lines_cost_linear_time() -> None:
    # every own-line comment used to rescan all following comment lines for its target
    text = "# sovlint:ignore SOV101 -- r\n" * 50_000 + 'resource "a" "b" {}\n'
    sups = parse_suppressions("main.tf", text)
    assert len(sups) == 50_000 and {s.target_line for s in sups} == {50_001}
