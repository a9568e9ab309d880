"""Static evaluation of the few expressions sovlint needs: literals, `var.*`, `local.*`,
templates made of those, and attribute/index access into literal objects and lists.

Anything else (function calls, conditionals, resource references, `for`) is
unknown: it stays unresolved and is reported as such, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sovlint.hclmodel import Expr, Expression, Literal, ObjectExpr, Template, TupleExpr

UNKNOWN = object()

_STEP = re.compile(r'\.([A-Za-z_][A-Za-z0-9_-]*)|\[\s*"((?:[^"\\]|\\.)*)"\s*\]|\[\s*(\d+)\s*\]')
_HEAD = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)")
_INTERP = re.compile(r"\$\{\s*([^{}]*?)\s*\}")


@dataclass(frozen=True)
class Binding:
    """A value available to expressions, with where it was defined."""

    expr: Expr
    origin: str


class Evaluator:
    def __init__(self, variables: dict[str, Binding], local_values: dict[str, Binding]) -> None:
        self.variables = variables
        self.locals = local_values
        self._active: set[str] = set()

    def value(self, expr: Expr) -> object:
        """A plain Python value, or UNKNOWN."""
        if isinstance(expr, Literal):
            return expr.value
        if isinstance(expr, ObjectExpr):
            out: dict[str, object] = {}
            for key, item in expr.items:
                v = self.value(item)
                if v is UNKNOWN:
                    return UNKNOWN
                out[key] = v
            return out
        if isinstance(expr, TupleExpr):
            items = [self.value(i) for i in expr.items]
            return UNKNOWN if any(i is UNKNOWN for i in items) else items
        if isinstance(expr, Template):
            return self._template(expr.text)
        return self._reference(expr.text)

    def origin(self, expr: Expr) -> str | None:
        """Where a reference's value was defined (the first var/local it reads)."""
        text = expr.text if isinstance(expr, (Expression, Template)) else ""
        m = re.search(r"\b(var|local)\.([A-Za-z_][A-Za-z0-9_-]*)", text)
        if not m:
            return None
        table = self.variables if m.group(1) == "var" else self.locals
        binding = table.get(m.group(2))
        return binding.origin if binding else None

    def _template(self, text: str) -> object:
        if "%{" in text.replace("%%{", ""):
            return UNKNOWN
        parts: list[str] = []
        pos = 0
        for m in _INTERP.finditer(text):
            if m.start() > 0 and text[m.start() - 1] == "$":
                continue
            parts.append(text[pos : m.start()])
            v = self._reference(m.group(1))
            if v is UNKNOWN or isinstance(v, (dict, list)):
                return UNKNOWN
            parts.append(_to_text(v))
            pos = m.end()
        parts.append(text[pos:])
        joined = "".join(parts)
        if "${" in joined.replace("$${", ""):
            return UNKNOWN
        return joined.replace("$${", "${")

    def _reference(self, text: str) -> object:
        text = text.strip()
        head = _HEAD.match(text)
        if not head:
            return UNKNOWN
        root = head.group(1)
        rest = text[head.end() :]
        steps: list[str | int] = []
        pos = 0
        while pos < len(rest):
            m = _STEP.match(rest, pos)
            if not m:
                return UNKNOWN
            if m.group(1) is not None:
                steps.append(m.group(1))
            elif m.group(2) is not None:
                steps.append(m.group(2))
            else:
                steps.append(int(m.group(3)))
            pos = m.end()
        if root not in ("var", "local") or not steps or not isinstance(steps[0], str):
            return UNKNOWN
        table = self.variables if root == "var" else self.locals
        name = steps[0]
        binding = table.get(name)
        key = f"{root}.{name}"
        if binding is None or key in self._active:
            return UNKNOWN
        self._active.add(key)
        try:
            current = self.value(binding.expr)
        finally:
            self._active.discard(key)
        for step in steps[1:]:
            current = _step(current, step)
            if current is UNKNOWN:
                return UNKNOWN
        return current


def _step(current: object, step: str | int) -> object:
    """One attribute or index access into an evaluated value."""
    if isinstance(step, str):
        if isinstance(current, dict) and step in current:
            return current[step]
        return UNKNOWN
    if isinstance(current, list) and 0 <= step < len(current):
        return current[step]
    return UNKNOWN


def _to_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return str(value)
