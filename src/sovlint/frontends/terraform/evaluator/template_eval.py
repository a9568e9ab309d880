"""Rendering template parts (see templates.py) to a string, an unknown, or branches."""

from __future__ import annotations

from typing import Any

from .interpreter import Interpreter, Scope, check_string, concrete, lift
from .refined import plain
from .values import Branches, EvalError, Unknown, Value, to_bool, to_string


def render_template(interp: Interpreter, parts: list[Any], scope: Scope) -> Value:
    if len(parts) == 1 and isinstance(parts[0], tuple) and parts[0][0] == "interp":
        return interp.eval(parts[0][1], scope)  # "${x}" is x itself, unconverted
    pieces = _pieces(interp, parts, scope)
    for piece in pieces:
        if isinstance(piece, Unknown):
            return plain(piece)
    return lift(lambda *texts: check_string("".join(to_string(concrete(t)) for t in texts)), pieces)


def _pieces(interp: Interpreter, parts: list[Any], scope: Scope) -> list[Value]:
    out: list[Value] = []
    for part in parts:
        interp.step()
        kind = part[0]
        if kind == "text":
            out.append(part[1])
        elif kind == "interp":
            value = interp.eval(part[1], scope)
            if value is None:
                raise EvalError("a null value cannot be interpolated")
            out.append(value)
        elif kind == "if":
            cond = interp.eval(part[1], scope)
            if isinstance(cond, (Unknown, Branches)):
                out.append(
                    cond
                    if isinstance(cond, Unknown)
                    else Unknown("a template condition has several possible values")
                )
                continue
            chosen = part[2] if to_bool(concrete(cond)) else part[3]
            out.extend(_pieces(interp, chosen, scope))
        else:
            _, key_name, value_name, coll_node, body = part
            coll = interp.eval(coll_node, scope)
            if isinstance(coll, (Unknown, Branches)):
                out.append(
                    coll
                    if isinstance(coll, Unknown)
                    else Unknown("a template loops over one of several collections")
                )
                continue
            coll = concrete(coll)
            if isinstance(coll, dict):
                items = [(k, coll[k]) for k in sorted(coll)]
            elif isinstance(coll, list):
                items = list(enumerate(coll))
            else:
                raise EvalError("%{ for } needs a collection")
            for key, item in items:
                names = {value_name: item}
                if key_name:
                    names[key_name] = key
                out.extend(_pieces(interp, body, scope.bind(names)))
    return out
