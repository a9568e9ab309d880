"""The positional JSON reader agrees with json.loads and knows every value's line."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sovlint import jsonpos

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(json_values, st.sampled_from([None, 0, 2]))
def test_same_values_as_json_loads(value: object, indent: int | None) -> None:
    text = json.dumps(value, indent=indent)
    assert jsonpos.to_python(jsonpos.parse(text)) == json.loads(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_invalid_text_raises_json_error_only(text: str) -> None:
    try:
        parsed = jsonpos.parse(text)
    except jsonpos.JsonError as exc:
        assert exc.line >= 1
        return
    assert jsonpos.to_python(parsed) == json.loads(text)


def test_lines() -> None:
    node = jsonpos.parse('{\n  "a": 1,\n  "b": [\n    "x"\n  ]\n}')
    assert isinstance(node, jsonpos.JObject)
    (ka, va), (_kb, vb) = node.items
    assert (ka, va.line) == ("a", 2)
    assert isinstance(vb, jsonpos.JArray)
    assert (vb.line, vb.items[0].line, vb.end_line) == (3, 4, 5)


@pytest.mark.parametrize("text", ['{"a": 1,}', "[1 2]", '{"a" 1}', "nul", '"\\x"', "01", "{} {}"])
def test_rejects_invalid(text: str) -> None:
    with pytest.raises(jsonpos.JsonError):
        jsonpos.parse(text)


def test_depth_limit() -> None:
    with pytest.raises(jsonpos.JsonError, match="nesting"):
        jsonpos.parse("[" * 10_000 + "]" * 10_000)
