"""Values of the static evaluator: plain Python data plus two markers.

A known Terraform value is a Python value: str, int/float (number), bool, None (null),
list (list/tuple), TfSet (set), dict (map/object). Two more kinds exist:

- `Unknown`: a value only Terraform knows at plan or apply time (a computed attribute, a
  data source, the environment). It propagates like cty's unknown: any operation on it is
  unknown, and it carries the first reason, so a finding can say why.
- `Branches`: a value that is one of finitely many (a conditional on an unknown, a lookup
  in a literal map by an unknown key). Every branch can be judged; each remembers the
  condition that selects it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

Value = Any  # str | int | float | bool | None | list | TfSet | dict | Unknown | Branches

MAX_BRANCHES = 16

# The reason of an instance key (count.index, each.key) of a block that makes no instance
# with the values given: a value that exists only per such instance is no location at all.
NO_INSTANCE = "count/for_each that makes no instance with the values given"


class EvalError(Exception):
    """The expression is an error in Terraform too (wrong type, missing key ...)."""


@dataclass(frozen=True)
class Unknown:
    """A value that is only known when Terraform runs; `reason` says why."""

    reason: str


class TfSet(list):  # type: ignore[type-arg]
    """A Terraform set: de-duplicated, in Terraform's order (strings lexically)."""


@dataclass(frozen=True)
class Branches:
    """One of these values; each option is (value, condition that selects it)."""

    options: tuple[tuple[Value, str], ...]


MAX_NODES = 100_000  # elements a value may hold, counted as Terraform would (shared parts too)


def logical_size(value: Value, memo: dict[int, tuple[Value, int]], limit: int = MAX_NODES) -> int:
    """How many elements a value holds when written out, counting a part shared by
    reference once per place it stands (`[x, x]` twice): the cost of printing or walking
    it. Each distinct container is measured once (memo, keyed by identity, keeps it alive
    so the key stays valid); the count stops just past `limit`."""
    if not isinstance(value, (list, dict, Branches)):
        return 1
    known = memo.get(id(value))
    if known is not None and known[0] is value:
        return known[1]
    if isinstance(value, Branches):
        items: Any = [option for option, _ in value.options]
    else:
        items = value.values() if isinstance(value, dict) else value
    total = 1
    for item in items:
        total += logical_size(item, memo, limit)
        if total > limit:
            break
    memo[id(value)] = (value, total)
    return total


def unknown_in(value: Value) -> Unknown | None:
    """The first unknown inside a value (itself, a branch, an element), or None."""
    if isinstance(value, Unknown):
        return value
    if isinstance(value, Branches):
        for option, _ in value.options:
            found = unknown_in(option)
            if found is not None:
                return found
        return None
    if isinstance(value, dict):
        for item in value.values():
            found = unknown_in(item)
            if found is not None:
                return found
    elif isinstance(value, list):
        for item in value:
            found = unknown_in(item)
            if found is not None:
                return found
    return None


def branches(options: list[tuple[Value, str]]) -> Value:
    """A value from options: flattened, de-duplicated; one option is just that value.
    More than MAX_BRANCHES options is an open value."""
    flat: list[tuple[Value, str]] = []
    for value, cond in options:
        if isinstance(value, Branches):
            for inner, inner_cond in value.options:
                flat.append((inner, f"{cond}, {inner_cond}" if cond else inner_cond))
        else:
            flat.append((value, cond))
    out: list[tuple[Value, str]] = []
    for value, cond in flat:
        if not any(same(value, v) and type(value) is type(v) for v, _ in out):
            out.append((value, cond))
    if len(out) == 1:
        return out[0][0]
    if len(out) > MAX_BRANCHES:
        return Unknown(f"more than {MAX_BRANCHES} possible values")
    return Branches(tuple(out))


def same(a: Value, b: Value) -> bool:
    """Terraform's `==` on known values (no conversion between types)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if is_number(a) and is_number(b):
        return bool(a == b)
    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str) and a == b
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        if isinstance(a, TfSet) != isinstance(b, TfSet):
            return False
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return False


def is_number(value: Value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def normal_number(value: float | int) -> float | int:
    """Integral numbers as int (Terraform prints 2, not 2.0)."""
    if isinstance(value, float):
        if math.isnan(value):
            raise EvalError("result is not a number")
        if math.isinf(value):
            return value
        if value.is_integer() and abs(value) < 2**63:
            return int(value)
    return value


def number_text(value: float | int) -> str:
    if isinstance(value, int):
        return str(value)
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    text = repr(value)
    if "e" in text or "E" in text:
        from decimal import Decimal

        text = format(Decimal(text), "f")
    return text


def type_name(value: Value) -> str:
    if isinstance(value, bool):
        return "bool"
    if is_number(value):
        return "number"
    if isinstance(value, str):
        return "string"
    if value is None:
        return "null"
    if isinstance(value, TfSet):
        return "set"
    if isinstance(value, list):
        return "tuple"
    if isinstance(value, dict):
        return "object"
    return "dynamic"


def to_string(value: Value) -> str:
    """Terraform's conversion to string (for templates and string functions)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number(value):
        return number_text(value)
    if value is None:
        raise EvalError("null value cannot be used as a string")
    raise EvalError(f"cannot convert {type_name(value)} to string")


def to_number(value: Value) -> int | float:
    if is_number(value):
        return value  # type: ignore[no-any-return]
    if isinstance(value, str):
        text = value.strip()
        if text and text == value:
            try:
                if text.lstrip("+-").isdigit():
                    return int(text)
                return normal_number(float(text))
            except ValueError:
                pass
        raise EvalError(f"cannot convert {value!r} to number")
    raise EvalError(f"cannot convert {type_name(value)} to number")


def to_bool(value: Value) -> bool:
    if isinstance(value, bool):
        return value
    if value == "true":
        return True
    if value == "false":
        return False
    raise EvalError(f"cannot convert {type_name(value)} to bool")


def make_set(items: list[Value]) -> TfSet:
    out: list[Value] = []
    for item in items:
        if not any(same(item, o) for o in out):
            out.append(item)
    if all(isinstance(i, str) for i in out) or all(is_number(i) for i in out):
        out.sort()
    return TfSet(out)


def collection(value: Value) -> list[Value] | dict[str, Value]:
    """A value that can be iterated (for, splat, functions over collections)."""
    if isinstance(value, (list, dict)):
        return value
    raise EvalError(f"a {type_name(value)} is not a collection")


def any_instance(key: Value) -> bool:
    """Is an index some value Terraform will have (known, or unknown but not the key of an
    instance that does not exist)?"""
    found = unknown_in(key)
    return found is None or NO_INSTANCE not in found.reason
