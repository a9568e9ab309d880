"""Expr (sovlint's HCL model) -> expression trees, and the values a module binds."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sovlint.hclmodel import Expr, Expression, Literal, ObjectExpr, Template, TupleExpr

from .parser import Node, parse_expression
from .templates import parse_template
from .values import EvalError, Unknown

_NOT_GIVEN: Any = object()
_CACHE: dict[tuple[str, str], Node] = {}


@dataclass(frozen=True)
class Binding:
    """A value available to expressions, with where it was defined. `value`, when given,
    is already evaluated (a module input evaluated in its caller's scope)."""

    expr: Expr
    origin: str
    value: Any = field(default=_NOT_GIVEN, compare=False)
    type_expr: Expr | None = field(default=None, compare=False)

    @property
    def evaluated(self) -> bool:
        return self.value is not _NOT_GIVEN


def to_node(expr: Expr) -> Node:
    """The tree of an expression; a parse failure is an unknown with the reason."""
    if isinstance(expr, Literal):
        return ("lit", expr.value)
    if isinstance(expr, ObjectExpr):
        return ("object", [(("lit", k), to_node(v)) for k, v in expr.items])
    if isinstance(expr, TupleExpr):
        return ("tuple", [to_node(v) for v in expr.items])
    kind = "t" if isinstance(expr, Template) else "e"
    key = (kind, expr.text)
    node = _CACHE.get(key)
    if node is None:
        try:
            if isinstance(expr, Template):
                node = parse_template(expr.text, quoted="\n" not in expr.text)
            else:
                assert isinstance(expr, Expression)
                node = parse_expression(expr.text)
        except EvalError as exc:
            node = ("lit", Unknown(f"sovlint cannot read this expression ({exc})"))
        except RecursionError:
            node = ("lit", Unknown("an expression nested too deeply to evaluate"))
        if len(_CACHE) > 50_000:
            _CACHE.clear()
        _CACHE[key] = node
    return node
