"""Terraform's collection functions."""

from __future__ import annotations

import itertools

from ..interpreter import MAX_ITEMS, concrete, get_index
from ..values import (
    EvalError,
    TfSet,
    Value,
    make_set,
    normal_number,
    same,
    to_bool,
    to_number,
    to_string,
)


def _list(v: Value) -> list[Value]:
    v = concrete(v)
    if isinstance(v, list):
        return v
    raise EvalError("a list is required")


def _map(v: Value) -> dict[str, Value]:
    v = concrete(v)
    if isinstance(v, dict):
        return v
    raise EvalError("a map or object is required")


def _int(v: Value) -> int:
    n = to_number(concrete(v))
    if not isinstance(n, int):
        raise EvalError("a whole number is required")
    return n


def _items(values: list[Value]) -> list[Value]:
    if len(values) > MAX_ITEMS:
        raise EvalError(f"a collection of more than {MAX_ITEMS} elements")
    return values


def length(v: Value) -> int:
    v = concrete(v)
    if isinstance(v, str):
        return len(v)
    if isinstance(v, (list, dict)):
        return len(v)
    raise EvalError("length() of a value that has none")


def alltrue(v: Value) -> bool:
    return all(to_bool(concrete(i)) for i in _list(v))


def anytrue(v: Value) -> bool:
    return any(to_bool(concrete(i)) for i in _list(v))


def chunklist(v: Value, size: Value) -> list[Value]:
    items, n = _list(v), _int(size)
    if n < 0:
        raise EvalError("chunk size must not be negative")
    if n == 0:
        return [list(items)] if items else []
    return [items[i : i + n] for i in range(0, len(items), n)]


def coalesce(*args: Value) -> Value:
    for arg in args:
        arg = concrete(arg)
        if arg is not None and arg != "":
            return arg
    raise EvalError("no non-null, non-empty argument to coalesce()")


def coalescelist(*args: Value) -> Value:
    for arg in args:
        if _list(arg):
            return arg
    raise EvalError("no non-empty list to coalescelist()")


def compact(v: Value) -> list[Value]:
    return [i for i in _list(v) if concrete(i) not in (None, "")]


def concat(*lists: Value) -> list[Value]:
    out: list[Value] = []
    for lst in lists:
        out.extend(_list(lst))
    return _items(out)


def contains(coll: Value, value: Value) -> bool:
    value = concrete(value)
    return any(same(concrete(i), value) for i in _list(coll))


def distinct(v: Value) -> list[Value]:
    out: list[Value] = []
    for i in _list(v):
        if not any(same(concrete(i), o) for o in out):
            out.append(i)
    return out


def element(v: Value, idx: Value) -> Value:
    items = _list(v)
    if not items:
        raise EvalError("element() of an empty list")
    i = _int(idx)
    if i < 0:
        raise EvalError("element() index must not be negative")
    return items[i % len(items)]


def flatten(v: Value, depth: int = 0) -> list[Value]:
    if depth > 64:
        raise EvalError("flatten() nested too deep")
    out: list[Value] = []
    for item in _list(v):
        item = concrete(item)
        if isinstance(item, list) and not isinstance(item, TfSet):
            out.extend(flatten(item, depth + 1))
        elif isinstance(item, TfSet):
            out.extend(flatten(list(item), depth + 1))
        else:
            out.append(item)
    return _items(out)


def index(v: Value, value: Value) -> int:
    value = concrete(value)
    for i, item in enumerate(_list(v)):
        if same(concrete(item), value):
            return i
    raise EvalError("item not found")


def keys(v: Value) -> list[Value]:
    return sorted(_map(v))


def values(v: Value) -> list[Value]:
    m = _map(v)
    return [m[k] for k in sorted(m)]


def lookup(m: Value, key: Value, *default: Value) -> Value:
    mapping, k = _map(m), to_string(concrete(key))
    if k in mapping:
        return mapping[k]
    if default:
        return default[0]
    raise EvalError(f"lookup() failed to find {k!r}")


def matchkeys(vals: Value, keys_: Value, search: Value) -> list[Value]:
    v, k, sset = _list(vals), _list(keys_), _list(search)
    if len(v) != len(k):
        raise EvalError("matchkeys() lists of different lengths")
    return [
        x
        for x, key in zip(v, k, strict=True)
        if any(same(concrete(key), concrete(s)) for s in sset)
    ]


def merge(*maps: Value) -> dict[str, Value]:
    out: dict[str, Value] = {}
    for m in maps:
        m = concrete(m)
        if m is None:
            continue
        out.update(_map(m))
    return out


def one(v: Value) -> Value:
    items = _list(v)
    if len(items) > 1:
        raise EvalError("one() of more than one element")
    return items[0] if items else None


def range_(*args: Value) -> list[Value]:
    nums = [to_number(concrete(a)) for a in args]
    start: int | float
    stop: int | float
    step: int | float
    if len(nums) == 1:
        start, stop, step = 0, nums[0], 1
    elif len(nums) == 2:
        start, stop, step = nums[0], nums[1], 1 if nums[1] >= nums[0] else -1
    elif len(nums) == 3:
        start, stop, step = nums
    else:
        raise EvalError("range() takes 1 to 3 arguments")
    if step == 0:
        raise EvalError("range() step must not be zero")
    count = max(0, int(-(-(stop - start) // step)))
    if count > 1024:
        raise EvalError("range() of more than 1024 elements (Terraform's limit)")
    return [normal_number(start + i * step) for i in range(count)]


def reverse(v: Value) -> list[Value]:
    return list(reversed(_list(v)))


def setintersection(first: Value, *others: Value) -> TfSet:
    out = [i for i in _list(first) if all(any(same(i, o) for o in _list(s)) for s in others)]
    return make_set(out)


def setsubtract(a: Value, b: Value) -> TfSet:
    return make_set([i for i in _list(a) if not any(same(i, o) for o in _list(b))])


def setunion(*sets: Value) -> TfSet:
    out: list[Value] = []
    for s in sets:
        out.extend(_list(s))
    return make_set(out)


def setproduct(*sets: Value) -> list[Value]:
    pools = [_list(s) for s in sets]
    total = 1
    for p in pools:
        total *= len(p)
    if total > MAX_ITEMS:
        raise EvalError("setproduct() too large")
    return [list(c) for c in itertools.product(*pools)]


def slice_(v: Value, start: Value, end: Value) -> list[Value]:
    items, a, b = _list(v), _int(start), _int(end)
    if a < 0 or b > len(items) or a > b:
        raise EvalError("slice() indices out of range")
    return items[a:b]


def sort(v: Value) -> list[Value]:
    return sorted(to_string(concrete(i)) for i in _list(v))


def sum_(v: Value) -> Value:
    items = _list(v)
    if not items:
        raise EvalError("sum() of an empty list")
    total: int | float = 0
    for i in items:
        total += to_number(concrete(i))
    return normal_number(total)


def transpose(v: Value) -> dict[str, Value]:
    out: dict[str, list[Value]] = {}
    m = _map(v)
    for key in sorted(m):
        for item in _list(m[key]):
            out.setdefault(to_string(concrete(item)), []).append(key)
    return dict(out)


def zipmap(k: Value, v: Value) -> dict[str, Value]:
    ks, vs = _list(k), _list(v)
    if len(ks) != len(vs):
        raise EvalError("zipmap() lists of different lengths")
    return {to_string(concrete(a)): b for a, b in zip(ks, vs, strict=True)}


FUNCTIONS = {
    "length": length,
    "alltrue": alltrue,
    "anytrue": anytrue,
    "chunklist": chunklist,
    "coalesce": coalesce,
    "coalescelist": coalescelist,
    "compact": compact,
    "concat": concat,
    "contains": contains,
    "distinct": distinct,
    "element": element,
    "flatten": flatten,
    "index": index,
    "keys": keys,
    "values": values,
    "lookup": lookup,
    "matchkeys": matchkeys,
    "merge": merge,
    "one": one,
    "range": range_,
    "reverse": reverse,
    "setintersection": setintersection,
    "setsubtract": setsubtract,
    "setunion": setunion,
    "setproduct": setproduct,
    "slice": slice_,
    "sort": sort,
    "sum": sum_,
    "transpose": transpose,
    "zipmap": zipmap,
}

__all__ = ["FUNCTIONS", "get_index"]
