"""Variable type constraints: conversion of a given value, and `optional(type, default)`."""

from __future__ import annotations

from .interpreter import Interpreter, Scope
from .parser import Node
from .values import (
    Branches,
    EvalError,
    Unknown,
    Value,
    make_set,
    to_bool,
    to_number,
    to_string,
)


def _unwrap(node: Node) -> Node:
    """'${string}' -> string: Checkov's rendering of type expressions nested in maps."""
    while node[0] == "tpl" and len(node[1]) == 1 and node[1][0][0] == "interp":
        node = node[1][0][1]
    return node


def _key(node: Node) -> str | None:
    if node[0] == "lit" and isinstance(node[1], str):
        return node[1]
    if node[0] == "tpl" and len(node[1]) == 1 and node[1][0][0] == "text":
        return str(node[1][0][1])
    return None


def convert(interp: Interpreter, value: Value, type_node: Node, scope: Scope) -> Value:
    """The value as Terraform passes it to the module: converted to the declared type,
    with optional attributes' defaults filled in."""
    if value is None or isinstance(value, Unknown):
        return value
    if isinstance(value, Branches):
        return Branches(tuple((convert(interp, v, type_node, scope), c) for v, c in value.options))
    type_node = _unwrap(type_node)
    kind = type_node[0]
    if kind == "paren":
        return convert(interp, value, type_node[1], scope)
    if kind == "name":
        name = type_node[1]
        if name == "string" and isinstance(value, (str, int, float, bool)):
            return to_string(value)
        if (
            name == "number"
            and isinstance(value, (str, int, float))
            and not isinstance(value, bool)
        ):
            return to_number(value)
        if name == "bool" and isinstance(value, (str, bool)):
            return to_bool(value)
        return value
    if kind != "call":
        return value
    fn, args = type_node[1], type_node[2]
    if fn in ("list", "set", "map") and len(args) == 1:
        if fn == "map" and isinstance(value, dict):
            return {k: convert(interp, v, args[0], scope) for k, v in value.items()}
        if fn in ("list", "set") and isinstance(value, list):
            items = [convert(interp, v, args[0], scope) for v in value]
            return make_set(items) if fn == "set" else items
        return value
    if fn == "object" and len(args) == 1 and args[0][0] == "object" and isinstance(value, dict):
        out = dict(value)
        for key_node, raw_type in args[0][1]:
            key, attr_type = _key(key_node), _unwrap(raw_type)
            if key is None:
                continue
            if attr_type[0] == "call" and attr_type[1] == "optional" and attr_type[2]:
                inner = attr_type[2][0]
                if key not in out or out[key] is None:
                    default = interp.eval(attr_type[2][1], scope) if len(attr_type[2]) > 1 else None
                    out[key] = convert(interp, default, inner, scope)
                else:
                    out[key] = convert(interp, out[key], inner, scope)
            elif key in out:
                out[key] = convert(interp, out[key], attr_type, scope)
        return out
    if fn == "tuple" and len(args) == 1 and args[0][0] == "tuple" and isinstance(value, list):
        types = args[0][1]
        if len(types) != len(value):
            raise EvalError("tuple value of the wrong length")
        return [convert(interp, v, t, scope) for v, t in zip(value, types, strict=True)]
    return value
