"""A bounded parser for Terraform expressions: text -> a tree of tuples.

Nodes: ("lit", v) ("tpl", parts) ("name", n) ("attr", x, n) ("index", x, k)
("splat", x, steps) ("call", f, args, expand) ("un", op, x) ("bin", op, a, b)
("cond", c, t, f) ("tuple", items) ("object", pairs) ("for", kind, k, v, coll, key,
value, group, cond). Template parts: ("text", s) ("interp", node) ("if", c, then, else)
("for", k, v, coll, body). Operator precedence is HCL's.
"""

from __future__ import annotations

from typing import Any

from .lexer import Token, tokenize
from .values import EvalError

Node = tuple[Any, ...]
MAX_DEPTH = 64
MAX_SOURCE = 200_000

_BINARY = (("||",), ("&&",), ("==", "!="), ("<", ">", "<=", ">="), ("+", "-"), ("*", "/", "%"))


def parse_expression(src: str) -> Node:
    if len(src) > MAX_SOURCE:
        raise EvalError("expression too long to evaluate")
    parser = _Parser(tokenize(src))
    node = parser.expression()
    parser.expect_end()
    return node


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.pos]

    def at(self, text: str) -> bool:
        t = self.tok
        return t.kind == "op" and t.text == text

    def take(self, text: str) -> bool:
        if self.at(text):
            self.pos += 1
            return True
        return False

    def need(self, text: str) -> None:
        if not self.take(text):
            raise EvalError(f"expected {text!r} at offset {self.tok.pos}")

    def expect_end(self) -> None:
        if self.tok.kind != "end":
            raise EvalError(f"unexpected {self.tok.text!r} at offset {self.tok.pos}")

    def expression(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise EvalError(f"expression nested deeper than {MAX_DEPTH} levels")
        try:
            cond = self.binary(0)
            if self.take("?"):
                then = self.expression()
                self.need(":")
                other = self.expression()
                return ("cond", cond, then, other)
            return cond
        finally:
            self.depth -= 1

    def binary(self, level: int) -> Node:
        if level == len(_BINARY):
            return self.unary()
        left = self.binary(level + 1)
        ops = _BINARY[level]
        while self.tok.kind == "op" and self.tok.text in ops:
            op = self.tok.text
            self.pos += 1
            right = self.binary(level + 1)
            left = ("bin", op, left, right)
        return left

    def unary(self) -> Node:
        if self.at("!") or self.at("-"):
            op = self.tok.text
            self.pos += 1
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise EvalError(f"expression nested deeper than {MAX_DEPTH} levels")
            try:
                return ("un", op, self.unary())
            finally:
                self.depth -= 1
        return self.postfix(self.primary())

    def postfix(self, node: Node) -> Node:
        while True:
            if self.at(".") and self.tokens[self.pos + 1].kind in ("name", "num"):
                self.pos += 1
                t = self.tok
                self.pos += 1
                if t.kind == "num":
                    for part in t.text.split("."):  # legacy index: x.0.1
                        node = ("index", node, ("lit", int(part)))
                else:
                    node = ("attr", node, t.text)
            elif self.at("[") and not self._for_ahead("["):
                self.pos += 1
                key = self.expression()
                self.need("]")
                node = ("index", node, key)
            elif self.at("[*]") or self.at(".*"):
                full = self.tok.text == "[*]"
                self.pos += 1
                node = ("splat", node, self._splat_steps(full))
            else:
                return node

    def _splat_steps(self, full: bool) -> list[Node]:
        steps: list[Node] = []
        while True:
            if self.at(".") and self.tokens[self.pos + 1].kind == "name":
                self.pos += 1
                steps.append(("attr", None, self.tok.text))
                self.pos += 1
            elif full and self.at("["):
                self.pos += 1
                key = self.expression()
                self.need("]")
                steps.append(("index", None, key))
            else:
                return steps

    def _next_is(self, text: str) -> bool:
        nxt = self.tokens[self.pos + 1]
        return nxt.kind == "op" and nxt.text == text

    def _for_ahead(self, opener: str) -> bool:
        nxt = self.tokens[self.pos + 1]
        return nxt.kind == "name" and nxt.text == "for" and opener in "[{"

    def primary(self) -> Node:
        t = self.tok
        if t.kind == "num":
            self.pos += 1
            text = t.text
            if "." in text or "e" in text or "E" in text:
                from .values import normal_number

                return ("lit", normal_number(float(text)))
            return ("lit", int(text))
        if t.kind == "str":
            self.pos += 1
            from .templates import parse_template

            return parse_template(t.text, quoted=True, depth=self.depth)
        if t.kind == "heredoc":
            self.pos += 1
            from .templates import parse_template

            return parse_template(t.text, quoted=False, depth=self.depth)
        if t.kind == "name":
            self.pos += 1
            if t.text in ("true", "false"):
                return ("lit", t.text == "true")
            if t.text == "null":
                return ("lit", None)
            if self.at("("):
                return self._call(t.text)
            name = t.text
            while self.at(":") and self._next_is(":") and self.tokens[self.pos + 2].kind == "name":
                name += "::" + self.tokens[self.pos + 2].text  # provider::aws::arn_parse
                self.pos += 3
            if name != t.text and self.at("("):
                return self._call(name)
            return ("name", name)
        if self.take("("):
            inner = self.expression()
            self.need(")")
            return ("paren", inner)
        if self.at("["):
            return self._tuple()
        if self.at("{"):
            return self._object()
        raise EvalError(f"unexpected {t.text or 'end of expression'!r} at offset {t.pos}")

    def _call(self, name: str) -> Node:
        # provider::aws::arn_parse(...) style names
        self.need("(")
        args: list[Node] = []
        expand = False
        while not self.at(")"):
            args.append(self.expression())
            if self.take("..."):
                expand = True
                break
            if not self.take(","):
                break
        self.need(")")
        return ("call", name, args, expand)

    def _tuple(self) -> Node:
        self.need("[")
        if self.tok.kind == "name" and self.tok.text == "for":
            return self._for("[")
        items: list[Node] = []
        while not self.at("]"):
            items.append(self.expression())
            if not self.take(","):
                break
        self.need("]")
        return ("tuple", items)

    def _object(self) -> Node:
        self.need("{")
        if self.tok.kind == "name" and self.tok.text == "for":
            return self._for("{")
        pairs: list[tuple[Node, Node]] = []
        while not self.at("}"):
            key = self.expression()
            if key[0] == "name":
                key = ("lit", key[1])
            if not (self.take("=") or self.take(":")):
                raise EvalError(f"expected '=' at offset {self.tok.pos}")
            pairs.append((key, self.expression()))
            self.take(",")
        self.need("}")
        return ("object", pairs)

    def _for(self, opener: str) -> Node:
        self.pos += 1  # "for"
        names = [self._name()]
        if self.take(","):
            names.append(self._name())
        if not (self.tok.kind == "name" and self.tok.text == "in"):
            raise EvalError("expected 'in' in for expression")
        self.pos += 1
        coll = self.expression()
        self.need(":")
        key_var, value_var = (names[0], names[1]) if len(names) == 2 else (None, names[0])
        key: Node | None = None
        if opener == "{":
            key = self.expression()
            self.need("=>")
        value = self.expression()
        group = opener == "{" and self.take("...")
        cond: Node | None = None
        if self.tok.kind == "name" and self.tok.text == "if":
            self.pos += 1
            cond = self.expression()
        self.need("]" if opener == "[" else "}")
        kind = "tuple" if opener == "[" else "object"
        return ("for", kind, key_var, value_var, coll, key, value, group, cond)

    def _name(self) -> str:
        t = self.tok
        if t.kind != "name":
            raise EvalError(f"expected a name at offset {t.pos}")
        self.pos += 1
        return t.text
