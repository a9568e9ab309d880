"""Template strings: literal text, `${ interpolation }`, `%{ if }` and `%{ for }` directives,
with `~` strip markers, as Terraform reads them."""

from __future__ import annotations

import re
from typing import Any

from .lexer import _quoted_end
from .parser import MAX_DEPTH, Node, parse_expression
from .values import EvalError

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "'": "'", "\\": "\\"}
_ESCAPE_RE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.S)
_IF = re.compile(r"if\s+(.*)$", re.S)
_FOR = re.compile(
    r"for\s+([A-Za-z_][A-Za-z0-9_-]*)\s*(?:,\s*([A-Za-z_][A-Za-z0-9_-]*)\s*)?in\s+(.*)$", re.S
)


def _unescape(text: str, quoted: bool) -> str:
    out = text.replace("$${", "${").replace("%%{", "%{")
    if not quoted:
        return out

    def repl(m: re.Match[str]) -> str:
        body = m.group(1)
        if body[0] in "uU" and len(body) > 1:
            return chr(int(body[1:], 16))
        if body in _ESCAPES:
            return _ESCAPES[body]
        raise EvalError(f"invalid escape \\{body}")

    return _ESCAPE_RE.sub(repl, out)


def _close(src: str, start: int) -> int:
    """Index of the `}` that closes a `${`/`%{` whose content starts at `start`."""
    depth, i, n = 0, start, len(src)
    while i < n:
        c = src[i]
        if c in "\"'":
            i = _quoted_end(src, i)
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            if depth == 0:
                return i
            depth -= 1
        i += 1
    raise EvalError("unterminated template interpolation")


def _tokens(src: str, quoted: bool) -> list[tuple[str, str, bool, bool]]:
    """(kind, text, strip-before, strip-after) with kind text / interp / directive."""
    out: list[tuple[str, str, bool, bool]] = []
    i, n, lit_start = 0, len(src), 0
    while i < n:
        c = src[i]
        if quoted and c == "\\":
            i += 2
            continue
        if src.startswith(("$${", "%%{"), i):
            i += 3
            continue
        if src.startswith(("${", "%{"), i):
            if i > lit_start:
                out.append(("text", src[lit_start:i], False, False))
            end = _close(src, i + 2)
            inner = src[i + 2 : end]
            left = inner.startswith("~")
            right = len(inner) > (1 if left else 0) and inner.endswith("~")
            body = inner[1 if left else 0 : len(inner) - 1 if right else len(inner)]
            out.append(("interp" if c == "$" else "directive", body.strip(), left, right))
            i = lit_start = end + 1
            continue
        i += 1
    if lit_start < n:
        out.append(("text", src[lit_start:], False, False))
    return out


def parse_template(src: str, quoted: bool, depth: int = 0) -> Node:
    if depth > MAX_DEPTH:
        raise EvalError(f"expression nested deeper than {MAX_DEPTH} levels")
    toks = _tokens(src, quoted)
    # strip markers trim the neighbouring literal text
    texts = [t[1] for t in toks]
    for idx, (kind, _, left, right) in enumerate(toks):
        if kind == "text":
            continue
        if left and idx > 0 and toks[idx - 1][0] == "text":
            texts[idx - 1] = texts[idx - 1].rstrip()
        if right and idx + 1 < len(toks) and toks[idx + 1][0] == "text":
            texts[idx + 1] = texts[idx + 1].lstrip()
    root: list[Node] = []
    stack: list[tuple[list[Any], list[Node]]] = []  # (directive node parts, current list)
    current = root
    for (kind, _, _, _), text in zip(toks, texts, strict=True):
        if kind == "text":
            if text:
                current.append(("text", _unescape(text, quoted)))
        elif kind == "interp":
            current.append(("interp", parse_expression(text)))
        else:
            current = _directive(text, stack, current, root)
    if stack:
        raise EvalError("template directive without its end")
    return ("tpl", root)


def _directive(
    text: str, stack: list[tuple[list[Any], list[Node]]], current: list[Node], root: list[Node]
) -> list[Node]:
    m_if, m_for = _IF.match(text), _FOR.match(text)
    if m_if:
        node: list[Any] = ["if", parse_expression(m_if.group(1)), [], []]
        current.append(node)  # type: ignore[arg-type]
        stack.append((node, current))
        return node[2]  # type: ignore[no-any-return]
    if m_for:
        key, value = (m_for.group(1), m_for.group(2)) if m_for.group(2) else (None, m_for.group(1))
        node = ["for", key, value, parse_expression(m_for.group(3)), []]
        current.append(node)  # type: ignore[arg-type]
        stack.append((node, current))
        return node[4]  # type: ignore[no-any-return]
    if text == "else":
        if not stack or stack[-1][0][0] != "if":
            raise EvalError("%{ else } outside %{ if }")
        return stack[-1][0][3]  # type: ignore[no-any-return]
    if text in ("endif", "endfor"):
        if not stack or stack[-1][0][0] != text[3:]:
            raise EvalError(f"%{{ {text} }} without its start")
        _, parent = stack.pop()
        return parent
    raise EvalError(f"unknown template directive %{{ {text} }}")
