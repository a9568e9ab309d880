"""Function calls: the built-ins, `try`/`can` (which catch errors), lookups with unknown keys,
and the functions only Terraform can answer (time, randomness, files outside the module)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .interpreter import Interpreter, Scope, UnknownHit, lift
from .parser import Node
from .refined import PRESERVING, InRegion, OneOf, plain
from .render import node_text, value_text
from .values import Branches, EvalError, Unknown, Value, any_instance, unknown_in

if TYPE_CHECKING:
    pass

# Impure or environment-dependent: Terraform knows them only when it runs.
RUN_TIME = {
    "timestamp": "timestamp() is the time Terraform runs",
    "plantimestamp": "plantimestamp() is the time Terraform plans",
    "uuid": "uuid() is random",
    "bcrypt": "bcrypt() is salted at random",
    "abspath": "abspath() depends on where Terraform runs",
    "pathexpand": "pathexpand() depends on the home directory of whoever runs Terraform",
    "ephemeralasnull": "an ephemeral value is only known when Terraform runs",
}


def call(interp: Interpreter, node: Node, scope: Scope) -> Value:
    _, name, arg_nodes, expand = node
    if name == "try":
        return _try(interp, arg_nodes, scope)
    if name == "can":
        if len(arg_nodes) != 1:
            raise EvalError("can() takes one argument")
        interp.catching += 1
        try:
            value = interp.eval(arg_nodes[0], scope)
        except EvalError:
            return False
        finally:
            interp.catching -= 1
        found = unknown_in(value)
        return plain(found) if found is not None else True
    if name == "templatestring":
        return _templatestring(interp, arg_nodes, scope)
    if name in RUN_TIME:
        return Unknown(RUN_TIME[name])
    if "::" in name:
        return Unknown(f"{name}() is a provider-defined function sovlint does not run")
    args = [interp.eval(a, scope) for a in arg_nodes]
    if expand:
        if not args:
            raise EvalError("... needs an argument")
        last = args.pop()
        if isinstance(last, (Unknown, Branches)):
            return (
                plain(last)
                if isinstance(last, Unknown)
                else Unknown(f"arguments of {name}() have several possible values")
            )
        if not isinstance(last, list):
            raise EvalError("... expands a list or tuple")
        args.extend(last)
    from .files import FILE_FUNCTIONS

    if name in FILE_FUNCTIONS:
        return lift(lambda *a: FILE_FUNCTIONS[name](interp, scope, *a), args)
    fn = interp.functions.get(name)
    if fn is None:
        found = next((unknown_in(a) for a in args if unknown_in(a) is not None), None)
        if found is not None:
            return Unknown(f"function {name}() of an unknown value: {found.reason}")
        return Unknown(f"sovlint does not evaluate the function {name}()")
    refined = name in PRESERVING and args and isinstance(args[0], (InRegion, OneOf))
    if refined and all(any_instance(a) for a in args[1:]):
        if isinstance(args[0], InRegion):
            return args[0]  # some of the zones, or one of them: still zones of that region
        # element() is one of the elements; the others keep some of them (`one` may be null)
        if name == "element":  # an error only for an empty list, which try() would catch
            return args[0].element() if not interp.catching else plain(args[0])
        return args[0] if name != "one" else plain(args[0])
    if name in ("lookup", "element") and len(args) >= 2 and isinstance(args[1], Unknown):
        return _open_key(interp, name, args, arg_nodes)
    result = lift(fn, args)
    if isinstance(result, InRegion):
        return result  # an element handed on as it is (lift drops refinements it computes from)
    if isinstance(result, Unknown) and not result.reason.startswith(("function ", "a function")):
        return Unknown(f"function {name}() of an unknown value: {result.reason}")
    return result


def _try(interp: Interpreter, arg_nodes: list[Node], scope: Scope) -> Value:
    last: str | None = None  # (the message: the error itself would hold this frame in a cycle)
    for arg in arg_nodes:
        interp.catching += 1
        try:
            value = interp.eval(arg, scope)
        except EvalError as exc:
            last = str(exc)
            continue
        except UnknownHit as hit:
            return plain(hit.value)
        finally:
            interp.catching -= 1
        if unknown_in(value) is not None:
            return plain(value)  # Terraform: try() of an unknown is unknown
        return value
    raise EvalError(f"no expression in try() succeeded ({last})")


def _templatestring(interp: Interpreter, arg_nodes: list[Node], scope: Scope) -> Value:
    """templatestring(ref, vars): the string `ref` names, rendered as a template with only
    `vars` in scope. Terraform takes a reference (`local.t`, `data.x.y.body`), not an
    expression, and a string, not a value converted to one."""
    from .files import render_with

    if len(arg_nodes) != 2:
        raise EvalError("templatestring() takes two arguments")
    if arg_nodes[0][0] not in ("name", "attr", "index"):
        raise EvalError("templatestring() takes a reference to a string, not an expression")

    def render(text: Value, names: Value) -> Value:
        if not isinstance(text, str):
            raise EvalError("templatestring() of a value that is not a string")
        return render_with(interp, text, names, "templatestring()")

    return lift(render, [interp.eval(a, scope) for a in arg_nodes])


def _open_key(interp: Interpreter, name: str, args: list[Value], arg_nodes: list[Node]) -> Value:
    """lookup(map, unknown, default) / element(list, unknown): one of the known elements."""
    from .values import branches

    coll, key = args[0], args[1]
    what = node_text(arg_nodes[1])
    options: list[tuple[Value, str]] = []
    if name == "lookup" and isinstance(coll, dict):
        options = [(coll[k], f"the branch where {what} is {value_text(k)}") for k in sorted(coll)]
        if len(args) == 3:
            options.append((args[2], f"the branch where {what} is none of {sorted(coll)}"))
    elif name == "element" and isinstance(coll, list) and coll:
        options = [(v, f"the branch where {what} is {i}") for i, v in enumerate(coll)]
    if not options:
        return Unknown(f"function {name}() with an unknown key: {key.reason}")
    return branches(options)
