"""Evaluate a parsed expression in a scope, like Terraform would, with unknowns and branches.

Bounded: every node costs one step of a budget; collections and strings have size caps.
A Terraform error (wrong type, missing key) raises EvalError; `try`/`can` catch it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import Any

from .parser import Node
from .refined import InRegion, OneOf, plain
from .render import node_text, value_text
from .values import (
    MAX_BRANCHES,
    MAX_NODES,
    Branches,
    EvalError,
    TfSet,
    Unknown,
    Value,
    any_instance,
    branches,
    logical_size,
    normal_number,
    same,
    to_bool,
    to_number,
    to_string,
    type_name,
    unknown_in,
)

MAX_STEPS = 50_000
MAX_ITEMS = 10_000
MAX_STRING = 1_000_000


class BudgetExceeded(Exception):
    pass


class UnknownHit(Exception):
    """An operation needed a concrete value and met an unknown (or branches)."""

    def __init__(self, value: Value) -> None:
        super().__init__("unknown")
        self.value = value


class Namespace:
    """A lazily evaluated object: var, local, a resource instance, each, count ..."""

    def get(self, key: str) -> Value:
        raise EvalError(f"unsupported attribute {key!r}")

    def materialize(self) -> Value:
        return Unknown("a whole object whose attributes are only known to Terraform")


class OpenObject(dict):  # type: ignore[type-arg]
    """An object of which only some attributes are known (a resource's configured ones)."""

    missing = "computed by the provider"

    def __missing__(self, key: str) -> Value:
        return Unknown(f"{key} is {self.missing}")


class Scope:
    """Names visible to an expression."""

    def root(self, name: str) -> Value:
        raise EvalError(f"unknown name {name!r}")

    def bind(self, names: dict[str, Value]) -> Scope:
        return _Bound(self, names)


class _Bound(Scope):
    def __init__(self, parent: Scope, names: dict[str, Value]) -> None:
        self.parent = parent
        self.names = names

    def root(self, name: str) -> Value:
        if name in self.names:
            return self.names[name]
        return self.parent.root(name)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.parent, name)


def concrete(value: Value) -> Value:
    if isinstance(value, (Unknown, Branches)):
        raise UnknownHit(value)
    if isinstance(value, Namespace):
        return concrete(value.materialize())
    return value


def lift(fn: Callable[..., Value], args: list[Value]) -> Value:
    """Apply fn to known arguments: unknown in -> unknown out; each branch separately."""
    for arg in args:
        if isinstance(arg, Unknown):
            return plain(arg)
    if not any(isinstance(a, Branches) for a in args):
        try:
            return fn(*args)
        except UnknownHit as hit:
            return plain(hit.value) if isinstance(hit.value, Unknown) else _open(hit.value)
    pools = [a.options if isinstance(a, Branches) else ((a, ""),) for a in args]
    size = math.prod(len(p) for p in pools)
    if size > MAX_BRANCHES:
        return Unknown(f"more than {MAX_BRANCHES} combinations of possible values")
    results = []
    for combo in itertools.product(*pools):
        cond = ", ".join(c for _, c in combo if c)
        try:
            results.append((fn(*(v for v, _ in combo)), cond))
        except UnknownHit as hit:
            results.append(
                (plain(hit.value) if isinstance(hit.value, Unknown) else _open(hit.value), cond)
            )
        except EvalError:
            continue  # this combination is an error in Terraform: it cannot be the value
    if not results:
        return Unknown("none of its possible values can be evaluated statically")
    return branches(results)


def _open(value: Value) -> Unknown:
    return Unknown("one of several values inside a collection")


class Interpreter:
    def __init__(self, functions: dict[str, Callable[..., Value]]) -> None:
        self.functions = functions
        self.steps = 0
        # Inside try()/can(): an element of a OneOf may not exist (an empty list, an index
        # past its end), and there that error is a value, so no element is assumed.
        self.catching = 0
        # Sizes of the containers measured so far (see values.logical_size).
        self.sizes: dict[int, tuple[Value, int]] = {}

    def bounded(self, value: Value) -> Value:
        """The value, unless writing it out would exceed MAX_NODES elements: values that
        share parts by reference (`[for x in local.l : [x, x]]`, `concat(l, l)`) can double
        at every step while costing nothing to build, and then everything that walks them
        (jsonencode, ==, a location check) would take exponential time."""
        if not isinstance(value, (list, dict, Branches)):
            return value
        if len(self.sizes) > 4 * MAX_NODES:
            self.sizes.clear()  # the memo only saves time; it must not grow with the module
        if logical_size(value, self.sizes) > MAX_NODES:
            raise BudgetExceeded
        return value

    def step(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise BudgetExceeded

    def eval(self, node: Node, scope: Scope) -> Value:
        self.step()
        kind = node[0]
        if kind == "lit":
            return node[1]
        if kind == "paren":
            return self.eval(node[1], scope)
        if kind == "name":
            return scope.root(node[1])
        if kind == "attr":
            return lift(lambda obj: get_attr(obj, node[2]), [self.eval(node[1], scope)])
        if kind == "index":
            obj = self.eval(node[1], scope)
            key = self.eval(node[2], scope)
            return self.index(obj, key, node[2])
        if kind == "splat":
            return self.splat(self.eval(node[1], scope), node[2], scope)
        if kind == "tpl":
            from .template_eval import render_template

            return render_template(self, node[1], scope)
        if kind == "cond":
            return self.conditional(node, scope)
        if kind == "un":
            return lift(_unary(node[1]), [self.eval(node[2], scope)])
        if kind == "bin":
            return self.binary(node, scope)
        if kind == "tuple":
            return self.sized([self.eval(i, scope) for i in node[1]])
        if kind == "object":
            out: dict[str, Value] = {}
            for knode, vnode in node[1]:
                key = self.eval(knode, scope)
                if isinstance(key, (Unknown, Branches)):
                    return Unknown(f"an object key ({node_text(knode)}) is not known")
                out[to_string(concrete(key))] = self.eval(vnode, scope)
            return self.bounded(out)
        if kind == "call":
            from .calls import call

            return self.bounded(call(self, node, scope))
        if kind == "for":
            from .for_expr import for_expression

            return self.bounded(for_expression(self, node, scope))
        raise EvalError(f"unsupported expression {kind}")

    def sized(self, items: list[Value]) -> list[Value]:
        if len(items) > MAX_ITEMS:
            raise EvalError(f"a collection of more than {MAX_ITEMS} elements")
        return self.bounded(items)  # type: ignore[no-any-return]

    def index(self, obj: Value, key: Value, key_node: Node) -> Value:
        # Whatever the index, one of the elements (a zone of that region, or an error in
        # Terraform); not for the index of an instance that does not exist (count = 0 with
        # the values given), which is no location at all.
        if isinstance(obj, (InRegion, OneOf)) and not any_instance(key):
            return plain(key)  # the key's reason says the instance does not exist
        if isinstance(obj, OneOf) and not self.catching:
            return obj.element()
        if isinstance(obj, InRegion):
            return obj
        if isinstance(obj, Unknown):
            return plain(obj) if unknown_in(key) is not None else obj
        if isinstance(key, Unknown) and not isinstance(obj, Branches):
            known = obj.materialize() if isinstance(obj, Namespace) else obj
            if isinstance(known, dict) and known and not isinstance(known, OpenObject):
                what = node_text(key_node)
                return (
                    branches(
                        [
                            (known[k], f"the branch where {what} is {value_text(k)}")
                            for k in sorted(known)
                        ]
                    )
                    if len(known) <= MAX_BRANCHES
                    else key
                )
            if isinstance(known, list) and known and len(known) <= MAX_BRANCHES:
                what = node_text(key_node)
                return branches(
                    [(v, f"the branch where {what} is {i}") for i, v in enumerate(known)]
                )
            return plain(key)
        return lift(get_index, [obj, key])

    def conditional(self, node: Node, scope: Scope) -> Value:
        cond = self.eval(node[1], scope)
        if isinstance(cond, (Unknown, Branches)):
            options: list[tuple[Value, str]] = []
            text = node_text(node[1])
            truth = (
                [to_bool(concrete(v)) for v, _ in cond.options]
                if isinstance(cond, Branches)
                else [True, False]
            )
            if True in truth:
                options.append((self._branch(node[2], scope), f"the branch where {text} is true"))
            if False in truth:
                options.append((self._branch(node[3], scope), f"the branch where {text} is false"))
            return branches(options)
        return self.eval(node[2] if to_bool(concrete(cond)) else node[3], scope)

    def _branch(self, node: Node, scope: Scope) -> Value:
        """One branch of a conditional whose condition is not known: an error in it (often
        an attribute of a partly known object) leaves that branch unknown, not the whole."""
        try:
            return self.eval(node, scope)
        except EvalError as exc:
            return Unknown(f"this branch cannot be evaluated statically ({exc})")

    def binary(self, node: Node, scope: Scope) -> Value:
        op = node[1]
        left = self.eval(node[2], scope)
        if op in ("&&", "||"):
            stop = op == "||"  # true || x, false && x
            if isinstance(left, bool) and left is stop:
                return left
            right = self.eval(node[3], scope)
            if isinstance(right, bool) and right is stop and isinstance(left, (Unknown, Branches)):
                return right
            return lift(
                lambda a, b: to_bool(a) or to_bool(b) if stop else to_bool(a) and to_bool(b),
                [left, right],
            )
        right = self.eval(node[3], scope)
        return lift(lambda a, b: _binary(op, a, b), [left, right])

    def splat(self, value: Value, steps: list[Node], scope: Scope) -> Value:
        def apply(item: Value) -> Value:
            for step in steps:
                if step[0] == "attr":
                    item = lift(lambda o, name=step[2]: get_attr(o, name), [item])
                else:
                    item = self.index(item, self.eval(step[2], scope), step[2])
            return item

        def each(coll: Value) -> Value:
            if isinstance(coll, Namespace):
                coll = coll.materialize()
                if isinstance(coll, Unknown):
                    return coll
            if coll is None:
                return []
            if isinstance(coll, list):
                return [apply(i) for i in coll]
            return [apply(coll)]

        return lift(each, [value])


def get_attr(obj: Value, name: str) -> Value:
    if isinstance(obj, Namespace):
        return obj.get(name)
    if isinstance(obj, dict):
        if name in obj:
            return obj[name]
        if isinstance(obj, OpenObject):
            return obj[name]
        raise EvalError(f"object has no attribute {name!r}")
    if obj is None:
        raise EvalError(f"attempt to get attribute {name!r} from a null value")
    raise EvalError(f"a {type_name(obj)} has no attributes")


def get_index(obj: Value, key: Value) -> Value:
    if isinstance(obj, Namespace):
        if isinstance(key, (str, int)) and not isinstance(key, bool):
            return obj.get(to_string(key))
        obj = obj.materialize()
    obj = concrete(obj)
    key = concrete(key)
    if isinstance(obj, dict):
        skey = to_string(key)
        if skey in obj or isinstance(obj, OpenObject):
            return obj[skey]
        raise EvalError(f"the map has no element {skey!r}")
    if isinstance(obj, list) and not isinstance(obj, TfSet):
        idx = to_number(key)
        if not isinstance(idx, int) or not 0 <= idx < len(obj):
            raise EvalError(f"index {value_text(key)} out of range")
        return obj[idx]
    raise EvalError(f"a {type_name(obj)} cannot be indexed")


def _unary(op: str) -> Callable[[Value], Value]:
    if op == "!":
        return lambda v: not to_bool(concrete(v))
    return lambda v: normal_number(-to_number(concrete(v)))


def _binary(op: str, a: Value, b: Value) -> Value:
    if op in ("==", "!="):
        a, b = _deep_concrete(a), _deep_concrete(b)
        eq = same(a, b)
        return eq if op == "==" else not eq
    x, y = to_number(concrete(a)), to_number(concrete(b))
    if op == "+":
        return normal_number(x + y)
    if op == "-":
        return normal_number(x - y)
    if op == "*":
        return normal_number(x * y)
    if op == "/":
        if y == 0:
            raise EvalError("divide by zero")
        if isinstance(x, int) and isinstance(y, int) and x % y == 0:
            return x // y
        return normal_number(x / y)
    if op == "%":
        if y == 0:
            raise EvalError("divide by zero")
        if isinstance(x, int) and isinstance(y, int):
            return int(math.fmod(x, y)) if abs(x) < 2**52 else x - y * int(x / y)
        return normal_number(math.fmod(x, y))
    if op == "<":
        return x < y
    if op == ">":
        return x > y
    if op == "<=":
        return x <= y
    if op == ">=":
        return x >= y
    raise EvalError(f"unknown operator {op}")


def _deep_concrete(value: Value) -> Value:
    value = concrete(value)
    if isinstance(value, dict):
        for v in value.values():
            _deep_concrete(v)
    elif isinstance(value, list):
        for v in value:
            _deep_concrete(v)
    return value


def check_string(text: str) -> str:
    if len(text) > MAX_STRING:
        raise EvalError(f"a string longer than {MAX_STRING} characters")
    return text


__all__ = ["Interpreter", "Namespace", "OpenObject", "Scope", "concrete", "lift", "value_text"]
