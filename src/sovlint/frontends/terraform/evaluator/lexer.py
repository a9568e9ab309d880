"""Tokens of Terraform's expression language (HCL native syntax, expressions only).

A quoted string becomes one token holding its template parts, parsed by templates.py;
heredocs are handled the same way. Input size is bounded by the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .values import EvalError

_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_SPACE = re.compile(r"(?:\s+|#[^\n]*|//[^\n]*|/\*.*?\*/)+", re.S)
_HEREDOC = re.compile(r"<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n")
_OPERATORS = (
    "...",
    "==",
    "!=",
    "<=",
    ">=",
    "&&",
    "||",
    "=>",
    "[*]",
    ".*",
    "+",
    "-",
    "*",
    "/",
    "%",
    "<",
    ">",
    "!",
    "?",
    ":",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ".",
    "=",
)


@dataclass(frozen=True)
class Token:
    kind: str  # num, name, str (quoted template source), heredoc, op, end
    text: str
    pos: int


def _quoted_end(src: str, start: int) -> int:
    """The index after the closing quote of a string starting at src[start] (a `"`; or a
    `'`, which only Checkov's renderings of maps and lists contain)."""
    quote = src[start]
    i, depth, n = start + 1, 0, len(src)
    while i < n:
        c = src[i]
        if c == "\\":
            i += 2
            continue
        if depth == 0 and c == quote:
            return i + 1
        if src.startswith(("${", "%{"), i) and not (i > 0 and src[i - 1] == src[i]):
            depth += 1
            i += 2
            continue
        if depth and c == "{":
            depth += 1
        elif depth and c == "}":
            depth -= 1
        elif depth and c in "\"'":
            i = _quoted_end(src, i)
            continue
        elif c == "\n" and depth == 0:
            break
        i += 1
    raise EvalError("unterminated string")


def tokenize(src: str) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(src)
    while True:
        m = _SPACE.match(src, i)
        if m:
            i = m.end()
        if i >= n:
            tokens.append(Token("end", "", i))
            return tokens
        c = src[i]
        if c in "\"'":
            end = _quoted_end(src, i)
            tokens.append(Token("str", src[i + 1 : end - 1], i))
            i = end
            continue
        if src.startswith("<<", i):
            hm = _HEREDOC.match(src, i)
            if hm:
                marker = hm.group(2)
                close = re.compile(r"^[ \t]*" + re.escape(marker) + r"[ \t]*$", re.M)
                cm = close.search(src, hm.end())
                if cm is None:
                    raise EvalError("unterminated heredoc")
                body = src[hm.end() : cm.start()]
                if hm.group(1):
                    lines = body.split("\n")
                    indents = [len(s) - len(s.lstrip(" \t")) for s in lines if s.strip()]
                    cut = min(indents) if indents else 0
                    body = "\n".join(s[cut:] for s in lines)
                tokens.append(Token("heredoc", body, i))
                i = cm.end()
                continue
        m = _NUMBER.match(src, i)
        if m and c.isdigit():
            tokens.append(Token("num", m.group(0), i))
            i = m.end()
            continue
        m = _NAME.match(src, i)
        if m:
            tokens.append(Token("name", m.group(0), i))
            i = m.end()
            continue
        for op in _OPERATORS:
            if src.startswith(op, i):
                tokens.append(Token("op", op, i))
                i += len(op)
                break
        else:
            raise EvalError(f"unexpected character {c!r}")
