"""A small, parser-independent model of an HCL document.

python-hcl2 (the CLI parser), the `.tf.json` reader and the Checkov adapter all
produce this model, so the Terraform fact builder has one input shape.
Standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Literal:
    """A constant: string, number, bool or null."""

    value: str | int | float | bool | None
    line: int


@dataclass(frozen=True)
class Template:
    """A string with interpolations, kept as written without the quotes ("x-${var.a}")."""

    text: str
    line: int


@dataclass(frozen=True)
class Expression:
    """Any other expression (reference, call, conditional ...), as HCL text without `${}`."""

    text: str
    line: int


@dataclass(frozen=True)
class ObjectExpr:
    items: tuple[tuple[str, Expr], ...]
    line: int

    def get(self, key: str) -> Expr | None:
        for k, v in self.items:
            if k == key:
                return v
        return None


@dataclass(frozen=True)
class TupleExpr:
    items: tuple[Expr, ...]
    line: int


Expr = Literal | Template | Expression | ObjectExpr | TupleExpr


@dataclass
class Attribute:
    name: str
    value: Expr
    line: int
    end_line: int


@dataclass
class Block:
    type: str
    labels: list[str]
    body: Body
    line: int
    end_line: int


@dataclass
class Body:
    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)

    def blocks_of(self, block_type: str) -> list[Block]:
        return [b for b in self.blocks if b.type == block_type]

    def attr(self, name: str) -> Attribute | None:
        return self.attributes.get(name)


@dataclass
class Document:
    """One parsed file."""

    path: str
    body: Body
    text: str = ""


def literal_string(expr: Expr | None) -> str | None:
    """The value of a string literal, or None for anything that is not one."""
    if isinstance(expr, Literal) and isinstance(expr.value, str):
        return expr.value
    return None


def expr_text(expr: Expr) -> str:
    """A readable HCL-ish rendering of an expression, for messages."""
    if isinstance(expr, Literal):
        if isinstance(expr.value, str):
            return '"' + expr.value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if expr.value is None:
            return "null"
        if isinstance(expr.value, bool):
            return "true" if expr.value else "false"
        return str(expr.value)
    if isinstance(expr, Template):
        return '"' + expr.text + '"'
    if isinstance(expr, Expression):
        return expr.text
    if isinstance(expr, ObjectExpr):
        return "{" + ", ".join(f"{k} = {expr_text(v)}" for k, v in expr.items) + "}"
    return "[" + ", ".join(expr_text(v) for v in expr.items) + "]"


# -- JSON form, for the on-disk cache ----------------------------------------------------


def expr_to_json(expr: Expr) -> list[object]:
    if isinstance(expr, Literal):
        return ["L", expr.value, expr.line]
    if isinstance(expr, Template):
        return ["T", expr.text, expr.line]
    if isinstance(expr, Expression):
        return ["E", expr.text, expr.line]
    if isinstance(expr, ObjectExpr):
        return ["O", [[k, expr_to_json(v)] for k, v in expr.items], expr.line]
    return ["U", [expr_to_json(v) for v in expr.items], expr.line]


def expr_from_json(data: list[Any]) -> Expr:
    tag, payload, line = data
    if tag == "L":
        return Literal(payload, line)
    if tag == "T":
        return Template(payload, line)
    if tag == "E":
        return Expression(payload, line)
    if tag == "O":
        return ObjectExpr(tuple((k, expr_from_json(v)) for k, v in payload), line)
    if tag == "U":
        return TupleExpr(tuple(expr_from_json(v) for v in payload), line)
    raise ValueError(f"unknown expression tag {tag!r}")


def body_to_json(body: Body) -> dict[str, object]:
    return {
        "a": [
            [a.name, expr_to_json(a.value), a.line, a.end_line] for a in body.attributes.values()
        ],
        "b": [[b.type, b.labels, body_to_json(b.body), b.line, b.end_line] for b in body.blocks],
    }


def body_from_json(data: dict[str, Any]) -> Body:
    body = Body()
    for name, value, line, end_line in data["a"]:
        body.attributes[name] = Attribute(name, expr_from_json(value), line, end_line)
    for btype, labels, inner, line, end_line in data["b"]:
        body.blocks.append(Block(btype, list(labels), body_from_json(inner), line, end_line))
    return body
