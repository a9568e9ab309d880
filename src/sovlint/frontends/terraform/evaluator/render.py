"""Expression trees back to readable HCL, for messages ("when var.env == \\"prod\\"")."""

from __future__ import annotations

import json

from .parser import Node
from .values import Value, number_text

MAX_TEXT = 120


def value_text(value: Value) -> str:
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return number_text(value)
    return json.dumps(value, default=str, sort_keys=True)[:MAX_TEXT]


def node_text(node: Node | None) -> str:
    text = _text(node)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 3] + "..."


def _text(node: Node | None) -> str:
    if node is None:
        return ""
    kind = node[0]
    if kind == "lit":
        return value_text(node[1])
    if kind == "name":
        return str(node[1])
    if kind == "attr":
        return f"{_text(node[1])}.{node[2]}"
    if kind == "index":
        return f"{_text(node[1])}[{_text(node[2])}]"
    if kind == "splat":
        return (
            _text(node[1])
            + "[*]"
            + "".join(_text(s)[4:] if s[0] == "attr" else "[...]" for s in node[2])
        )
    if kind == "call":
        return f"{node[1]}({', '.join(_text(a) for a in node[2])}{'...' if node[3] else ''})"
    if kind == "un":
        return f"{node[1]}{_text(node[2])}"
    if kind == "bin":
        return f"{_text(node[2])} {node[1]} {_text(node[3])}"
    if kind == "cond":
        return f"{_text(node[1])} ? {_text(node[2])} : {_text(node[3])}"
    if kind == "paren":
        return f"({_text(node[1])})"
    if kind == "tuple":
        return "[" + ", ".join(_text(i) for i in node[1]) + "]"
    if kind == "object":
        return "{" + ", ".join(f"{_text(k)} = {_text(v)}" for k, v in node[1]) + "}"
    if kind == "tpl":
        return _template(node[1])
    return "for ..."


def _template(parts: list[Node]) -> str:
    out = []
    for part in parts:
        if part[0] == "text":
            out.append(json.dumps(part[1])[1:-1])
        elif part[0] == "interp":
            out.append("${" + _text(part[1]) + "}")
        else:
            out.append("%{...}")
    return '"' + "".join(out) + '"'
