"""formatdate, timeadd and the text encodings: generated cases against `terraform console`,
and the cases sovlint leaves unknown rather than guess (they depend on where Terraform runs,
or on an encoding table sovlint does not carry)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from evaluator_oracle import CONSOLE, SKIP_REASON, console_values, sovlint_value, workdir
from sovlint.frontends.terraform.evaluator import Unknown

_VERBS = ["YYYY", "YY", "MMMM", "MMM", "MM", "M", "DD", "D", "EEEE", "EEE", "hh", "h", "HH"]
_VERBS += ["H", "AA", "aa", "mm", "m", "ss", "s", "ZZZZZ", "ZZZZ", "Z", "' at '", ", ", "-"]
_ZONES = st.sampled_from(["Z", "+00:00", "-08:00", "+05:30", "+14:00", "-00:30"])
_TIMESTAMPS = st.builds(
    lambda y, mo, d, h, mi, s, frac, z: (
        f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}{frac}{z}"
    ),
    st.integers(1, 9998),
    st.integers(1, 12),
    st.integers(1, 28),
    st.integers(0, 23),
    st.integers(0, 59),
    st.integers(0, 59),
    st.sampled_from(["", ".5", ".000000001", ".999999999", ".123"]),
    _ZONES,
)
_PARTS = st.tuples(
    st.integers(0, 5000).map(str) | st.sampled_from(["1.5", "0.25", ".5", "10."]),
    st.sampled_from(["ns", "us", "µs", "ms", "s", "m", "h"]),
).map("".join)
_DURATIONS = st.builds(
    lambda sign, parts: sign + "".join(parts),
    st.sampled_from(["", "-", "+"]),
    st.lists(_PARTS, min_size=1, max_size=3),
)
_FORMATS = st.lists(st.sampled_from(_VERBS), min_size=1, max_size=6).map("".join)
_EXPRESSIONS = st.one_of(
    st.tuples(_FORMATS, _TIMESTAMPS).map(lambda p: f'formatdate("{p[0]}", "{p[1]}")'),
    st.tuples(_TIMESTAMPS, _DURATIONS).map(lambda p: f'timeadd("{p[0]}", "{p[1]}")'),
)


@pytest.mark.skipif(CONSOLE is None, reason=SKIP_REASON)
@settings(
    max_examples=2,
    deadline=None,
    derandomize=True,
    phases=[Phase.generate],  # one console run per example
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(_EXPRESSIONS, min_size=100, max_size=100))
def test_generated_dates_match_terraform(expressions: list[str]) -> None:
    d = workdir()
    problems = [
        f"{e}\n    terraform: {want!r}\n    sovlint:   {got!r}"
        for e, want in zip(expressions, console_values(expressions, d), strict=True)
        if (got := sovlint_value(e, d)) != want
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "expression",
    [
        # Go names an offset after the local zone when they match: "-0800" or "PST"
        'formatdate("ZZZ", "2018-01-02T23:12:01-08:00")',
        'formatdate("ZZZ", "2018-01-02T23:12:01+00:00")',
        # valid IANA names in Terraform whose tables sovlint does not carry
        'textencodebase64("é", "windows-1252")',
        'textdecodebase64("6Q==", "UTF-16")',
        'textencodebase64("a", "no-such-encoding")',
    ],
)
def test_what_depends_on_the_machine_or_a_table_is_unknown(expression: str) -> None:
    assert isinstance(sovlint_value(expression), Unknown)


def test_timeadd_and_formatdate_values() -> None:
    assert sovlint_value('timeadd("2017-11-22T23:59:59.5+01:00", "0.5s")') == (
        "2017-11-23T00:00:00+01:00"
    )
    assert sovlint_value('formatdate("EEE h HH aa", "2024-02-29T12:00:00Z")') == "Thu 12 12 pm"
