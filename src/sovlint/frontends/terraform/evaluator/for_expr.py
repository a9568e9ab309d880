"""`[for k, v in coll : value if cond]` and `{for k, v in coll : key => value... if cond}`."""

from __future__ import annotations

from .interpreter import MAX_ITEMS, Interpreter, Namespace, Scope, concrete, lift
from .parser import Node
from .refined import plain
from .values import Branches, EvalError, TfSet, Unknown, Value, to_bool, to_string


def for_expression(interp: Interpreter, node: Node, scope: Scope) -> Value:
    _, kind, key_var, value_var, coll_node, key_node, value_node, group, cond_node = node
    coll = interp.eval(coll_node, scope)
    if isinstance(coll, Namespace):
        coll = coll.materialize()

    def run(coll: Value) -> Value:
        coll = concrete(coll)
        if isinstance(coll, dict):
            items = [(k, coll[k]) for k in sorted(coll)]
        elif isinstance(coll, TfSet):
            items = [(v, v) for v in coll]
        elif isinstance(coll, list):
            items = list(enumerate(coll))
        else:
            raise EvalError(f"a for expression cannot iterate over {coll!r}")
        if len(items) > MAX_ITEMS:
            raise EvalError(f"a for expression over more than {MAX_ITEMS} elements")
        tuple_out: list[Value] = []
        object_out: dict[str, Value] = {}
        for key, item in items:
            names = {value_var: item}
            if key_var:
                names[key_var] = key
            inner = scope.bind(names)
            if cond_node is not None:
                keep = interp.eval(cond_node, inner)
                if isinstance(keep, (Unknown, Branches)):
                    return (
                        plain(keep)
                        if isinstance(keep, Unknown)
                        else Unknown("a for condition has several possible values")
                    )
                if not to_bool(concrete(keep)):
                    continue
            value = interp.eval(value_node, inner)
            if kind == "tuple":
                tuple_out.append(value)
                continue
            k = interp.eval(key_node, inner)
            if isinstance(k, (Unknown, Branches)):
                return (
                    plain(k)
                    if isinstance(k, Unknown)
                    else Unknown("a for expression key has several possible values")
                )
            skey = to_string(concrete(k))
            if group:
                object_out.setdefault(skey, []).append(value)
            elif skey in object_out:
                raise EvalError(f"duplicate key {skey!r} in a for expression (use ... to group)")
            else:
                object_out[skey] = value
        return tuple_out if kind == "tuple" else object_out

    return lift(run, [coll])
