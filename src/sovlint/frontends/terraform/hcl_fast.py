"""An accelerated HCL path: tree-sitter-hcl builds the same HCL model as python-hcl2, ~40x faster.

python-hcl2 stays the reference. This path is used only when tree-sitter parses a
file without any error node; anything else (and every syntax error, so SOV001
messages and lines never change) goes through python-hcl2. tests/test_hcl_fast.py
checks that both paths give identical documents on every fixture and on generated
input. Without the optional packages (`pip install 'sovlint[fast]'`) nothing changes.
"""

from __future__ import annotations

import re
from typing import Any

from sovlint.hclmodel import (
    Attribute,
    Block,
    Body,
    Document,
    Expr,
    Expression,
    Literal,
    ObjectExpr,
    TupleExpr,
)

from .hcl_native import (
    _INTERP_RE,
    _NEGATIVE_NUMBER_RE,
    _for_parser,
    _heredoc,
    _string,
    unescape,
)

_PARSER: list[Any] = []
_BRACKETS = re.compile(r"[\[\](){}]")
# Deeper input goes to the reference parser, so every install gives the same verdict on it.
MAX_NESTING = 64
_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_ITEMS = ("attribute", "block")
_TRANSPARENT = ("literal_value", "collection_value", "template_expr")


def available() -> bool:
    if not _PARSER:
        try:
            import tree_sitter_hcl
            from tree_sitter import Language, Parser

            _PARSER.append(Parser(Language(tree_sitter_hcl.language())))
        except Exception:  # not installed, or a binary wheel that does not load here
            _PARSER.append(None)
    return _PARSER[0] is not None


class _Converter:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def text(self, node: Any) -> str:
        return self.data[node.start_byte : node.end_byte].decode("utf-8")

    @staticmethod
    def line(node: Any) -> int:
        return int(node.start_point[0]) + 1

    @staticmethod
    def end_line(node: Any) -> int:
        return int(node.end_point[0]) + 1

    @staticmethod
    def named(node: Any) -> list[Any]:
        return [c for c in node.named_children if c.type != "comment"]

    def body(self, node: Any | None) -> Body:
        return self.fill(Body(), self.items(node))

    @staticmethod
    def items(node: Any | None) -> list[Any]:
        """A body's attributes and blocks (comments and the rest left out)."""
        return [c for c in node.named_children if c.type in _ITEMS] if node is not None else []

    def fill(self, body: Body, items: list[Any]) -> Body:
        """The attributes and blocks `items` (a body's named children of those two types)."""
        previous_end = 0
        for child in items:
            line = self.line(child)
            if line <= previous_end:
                raise _NotHcl("two items on one line")  # HCL separates items by newlines
            previous_end = end_line = self.end_line(child)
            parts = self.named(child)
            if child.type == "attribute":
                _single_line(self.text(child))
                name = self.text(parts[0])
                body.attributes[name] = Attribute(name, self.expr(parts[-1], line), line, end_line)
            else:
                labels = [
                    self.label(p) for p in parts[1:] if p.type in ("string_lit", "identifier")
                ]
                inner = next((p for p in parts if p.type == "body"), None)
                inner_items = self.items(inner)
                self.check_block(child, parts, inner_items)
                body.blocks.append(
                    Block(
                        self.text(parts[0]),
                        labels,
                        self.fill(Body(), inner_items),
                        line,
                        end_line,
                    )
                )
        return body

    def check_block(self, block: Any, parts: list[Any], items: list[Any]) -> None:
        """HCL's newline rules, which tree-sitter-hcl does not enforce: the header and `{` on one
        line; a body starts on a new line, except a one-line block holding one attribute."""
        start = next((p for p in parts if p.type == "block_start"), None)
        end = next((p for p in parts if p.type == "block_end"), None)
        if start is None or end is None or self.line(start) != self.line(block):
            raise _NotHcl("block header and `{` must be on one line")
        if items and self.line(items[0]) == self.line(start):
            if (
                len(items) != 1
                or items[0].type != "attribute"
                or self.line(end) != self.line(start)
            ):
                raise _NotHcl("only a single attribute may share the `{` line")
        elif items and self.line(end) <= self.end_line(items[-1]):
            raise _NotHcl("`}` must be on its own line")

    def label(self, node: Any) -> str:
        raw = self.text(node)
        return unescape(raw[1:-1]) if node.type == "string_lit" else raw

    def unwrap(self, node: Any) -> Any:
        """`expression` wrappers with one child, and parentheses, are transparent."""
        while True:
            kind = node.type
            if kind != "expression" and kind not in _TRANSPARENT:
                return node
            kids = self.named(node)
            if len(kids) != 1:
                return node
            kid = kids[0]
            # (a child spanning its whole wrapper has the wrapper's text)
            if kind == "expression" and not (
                node.end_byte - node.start_byte == kid.end_byte - kid.start_byte
                or self.data[node.start_byte : node.start_byte + 1] == b"("
            ):
                return node
            node = kid

    def expr(self, node: Any, line: int) -> Expr:
        n = self.unwrap(node)
        t = n.type
        if t == "string_lit":
            return _string(self.text(n), line)
        if t == "quoted_template":
            return _string(self.text(n), line)
        if t == "heredoc_template":
            return _heredoc(self.text(n), line)
        if t == "numeric_lit":
            return Literal(_number(self.text(n)), line)
        if t == "bool_lit":
            return Literal(self.text(n) == "true", line)
        if t == "null_lit":
            return Literal(None, line)
        if t == "object":
            return self.object(n, line)
        if t == "tuple":
            return TupleExpr(
                tuple(self.expr(c, self.line(c)) for c in self.named(n) if c.type == "expression"),
                line,
            )
        if t == "operation":
            literal = self.negative_number(n)
            if literal is not None:
                return Literal(literal, line)
        return Expression(self.text(n).strip(), line)

    def negative_number(self, node: Any) -> int | float | None:
        text = self.text(node)
        if _NEGATIVE_NUMBER_RE.fullmatch(text):
            try:
                return _number(text)
            except ValueError:
                return None
        return None

    def object(self, node: Any, line: int) -> ObjectExpr:
        items: list[tuple[str, Expr]] = []
        for elem in self.named(node):
            if elem.type != "object_elem":
                continue
            exprs = [c for c in self.named(elem) if c.type == "expression"]
            if len(exprs) != 2:
                continue
            key_node, value_node = exprs
            items.append((self.key(key_node), self.expr(value_node, self.line(elem))))
        return ObjectExpr(tuple(items), line)

    def key(self, node: Any) -> str:
        raw = self.text(node).strip()
        if len(raw) >= 2 and raw[0] == '"' and raw[-1] == '"' and not _INTERP_RE.search(raw):
            return unescape(raw[1:-1])
        return raw


class _NotHcl(Exception):
    """tree-sitter accepted something HCL does not: let the reference parser report it."""


def _single_line(text: str) -> None:
    """An attribute ends at the first newline outside brackets, strings and heredocs."""
    if not _MAY_SPAN_LINES.search(text.rstrip()):
        return  # nothing below can raise on it (tests/test_hcl_fast.py checks the shortcut)
    _scan_single_line(text)


# What `_scan_single_line` can fail on: a newline, a comment that may be unclosed, and an
# escaped template opener (`$${`, `%%{`), which it counts as an interpolation that never closes.
_MAY_SPAN_LINES = re.compile(r"\n|/\*|\$\$\{|%%\{")


def _scan_single_line(text: str) -> None:
    depth = 0
    i, n = 0, len(text)
    content_end = len(text.rstrip())  # a newline before it is inside the attribute
    while True:
        m = _SIGNIFICANT.search(text, i)
        if m is None:
            return
        i = m.start()
        token = m.group()
        if token == '"':
            i = _skip_string(text, i)
        elif token == "<<":
            heredoc = _HEREDOC_START.match(text, i)
            if heredoc:
                close = re.compile(r"^[ \t]*" + re.escape(heredoc.group(1)) + r"[ \t]*$", re.M)
                found = close.search(text, heredoc.end())
                i = found.end() if found else n
            else:
                i += 1
        elif token in ("#", "//"):
            newline = text.find("\n", i)
            if newline == -1:
                return
            i = newline
        elif token == "/*":
            close_at = text.find("*/", i + 2)
            if close_at == -1:
                raise _NotHcl("unclosed comment")
            if depth == 0 and "\n" in text[i:close_at]:
                raise _NotHcl("newline in an attribute")
            i = close_at + 2
        else:
            if token in "([{":
                depth += 1
            elif token in ")]}":
                depth -= 1
            elif depth == 0 and i < content_end:  # a newline
                raise _NotHcl("newline in an attribute")
            i += 1


# Where `_scan_single_line` and `_skip_string` act; the text between is skipped in one step.
_SIGNIFICANT = re.compile(r'["#()\[\]{}\n]|<<|//|/\*')
_IN_STRING = re.compile(r'[\\"}\n]|[$%]\{')
_HEREDOC_START = re.compile(r"<<-?([A-Za-z][A-Za-z0-9._-]*)\n")


def _skip_string(text: str, i: int) -> int:
    """Index after the quoted string starting at i (templates `${...}` may nest strings)."""
    i += 1
    depth = 0
    while True:
        m = _IN_STRING.search(text, i)
        if m is None:
            raise _NotHcl("unterminated string")
        i = m.start()
        token = m.group()
        if token == "\\":
            i += 2
            continue
        if len(token) == 2:  # `${` or `%{`
            depth += 1
            i += 2
            continue
        if token == "}":
            if depth:
                depth -= 1
        elif token == '"':
            if depth == 0:
                return i + 1
            i = _skip_string(text, i)
            continue
        elif depth == 0:  # a newline
            raise _NotHcl("newline in a string")
        i += 1


def _number(text: str) -> int | float:
    return float(text) if any(c in text for c in ".eE") else int(text)


def parse_fast(text: str, path: str) -> Document | None:
    """The document, or None when tree-sitter is unavailable or finds any error (use python-hcl2)."""
    if not available():
        return None
    src = _for_parser(text)
    data = src.encode("utf-8", "surrogatepass")
    try:
        tree = _PARSER[0].parse(data)
    except Exception:
        return None
    root = tree.root_node
    if root.has_error or _nesting(src) > MAX_NESTING:
        return None
    try:
        body = _Converter(data).body(
            next((c for c in root.named_children if c.type == "body"), None)
        )
    except (_NotHcl, RecursionError, UnicodeDecodeError, ValueError, IndexError):
        return None
    return Document(path=path, body=body, text=text)


def _nesting(src: str) -> int:
    """Maximum bracket depth (brackets in strings count too: only ever a fallback)."""
    depth = deepest = 0
    for m in _BRACKETS.finditer(src):
        if m.group(0) in "([{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest
